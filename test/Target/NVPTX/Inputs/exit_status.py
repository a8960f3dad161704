"""Runs a command, prints its output (stdout, then stderr) and its exit
status as `exit status N`, and exits 0: for checking exact exit codes with
FileCheck (lit's shell has no $?). Usage: exit_status.py CMD ARGS..."""
import subprocess
import sys

result = subprocess.run(sys.argv[1:], capture_output=True, text=True)
sys.stdout.write(result.stdout)
sys.stdout.write(result.stderr)
print(f"exit status {result.returncode}")
