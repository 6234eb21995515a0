^digraph plot \{
idle land|web1<BR/>
