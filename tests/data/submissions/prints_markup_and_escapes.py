# A submission whose output and exceptions carry rich markup and terminal escape sequences: a fake
# green "all checks pass", a window title, a hyperlink, and markup that closes a tag never opened.
import numpy as np

print("[/] [bold red]markup[/bold red] \x1b[32mall checks pass\x1b[0m \x1b]0;pwned\x07 \x1b]8;;http://x\x1b\\link")


def relu_forward(x):
    raise ValueError("[/] closing nothing \x1b[2J\x1b[32mall checks pass")


def relu_backward(dout, x):
    return np.where(x > 0, dout, 0)
