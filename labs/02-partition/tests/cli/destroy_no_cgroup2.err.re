run it inside grader/labvm shell
