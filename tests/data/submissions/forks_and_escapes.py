import os
import shutil
import subprocess
import sys

# `sleep` where there is one (weak isolation); inside the sandbox only the interpreter exists
SLEEP = (["sleep", "4242.5"] if shutil.which("sleep")
         else [sys.executable, "-c", "import time; time.sleep(4242.5)", "sleep 4242.5"])


def conv2d(x, w, b=None, stride=1, padding=0):
    # a child in a new session, which would survive a plain process-group kill
    subprocess.Popen(SLEEP, start_new_session=True)
    for _ in range(64):
        try:
            if os.fork() == 0:
                os.execv(SLEEP[0] if os.path.isabs(SLEEP[0]) else shutil.which(SLEEP[0]), SLEEP)
        except OSError:
            break
    while True:
        pass
