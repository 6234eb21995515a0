#!/usr/bin/env python3
"""shell.py LABVM ARGS...: type into `labvm shell` as a person would.

Waits for the prompt (progress, not a guess), runs one line that shows the
folder the shell starts in and a file brought in with --in, then exits.
Prints what the machine printed after the prompt; exit 0 when the line ran.
"""
import subprocess, sys, os, select, time
p = subprocess.Popen(sys.argv[1:], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
buf = b''
def wait_for(pat, limit=180):
    global buf
    end = time.time() + limit
    while pat not in buf:
        r, _, _ = select.select([p.stdout], [], [], max(0, end - time.time()))
        if not r: return False
        chunk = os.read(p.stdout.fileno(), 4096)
        if not chunk: return False
        buf += chunk
    return True
ok = wait_for(b'# ')
p.stdin.write(b'pwd; ls tests/cli/check.run; echo MARK$((40+2))\n'); p.stdin.flush()
ok = ok and wait_for(b'MARK42')
p.stdin.write(b'exit\n'); p.stdin.flush()
p.wait(timeout=60)
sys.stdout.write(buf.decode(errors='replace').split('# ', 1)[-1])
sys.exit(0 if ok else 1)
