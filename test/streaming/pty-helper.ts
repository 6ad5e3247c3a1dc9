// The pseudo-terminal helper of the local test backend, run as `python3 -c PTY_HELPER cmd…` (it
// travels as a string so that the compiled tests need no file beside them). It runs the command
// under a new terminal, relays stdin to it and it to stdout, reads "COLS ROWS" lines on fd 3 to
// resize it (SIGWINCH to the command), and exits with the command's exit code.
export const PTY_HELPER = String.raw`import fcntl, os, select, struct, sys, termios

def set_size(fd, cols, rows):
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', rows, cols, 0, 0))

master, slave = os.openpty()
set_size(slave, 80, 24)
pid = os.fork()
if pid == 0:
    os.setsid()
    fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
    for n in (0, 1, 2):
        os.dup2(slave, n)
    os.close(master)
    os.execvp(sys.argv[1], sys.argv[1:])
os.close(slave)
inputs = [0, master]
try:
    os.fstat(3)
    inputs.append(3)
except OSError:
    pass
pending = b''
while True:
    ready, _, _ = select.select(inputs, [], [])
    if master in ready:
        try:
            data = os.read(master, 65536)
        except OSError:
            data = b''
        if not data:
            break
        os.write(1, data)
    if 0 in ready:
        data = os.read(0, 65536)
        if data:
            os.write(master, data)
        else:
            inputs.remove(0)
    if 3 in ready:
        data = os.read(3, 4096)
        if not data:
            inputs.remove(3)
        pending += data
        while b'\n' in pending:
            line, pending = pending.split(b'\n', 1)
            cols, rows = line.split()
            set_size(master, int(cols), int(rows))
            os.kill(pid, 28)  # SIGWINCH
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status) if hasattr(os, 'waitstatus_to_exitcode') else (status >> 8))
`;
