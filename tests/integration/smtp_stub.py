#!/usr/bin/python3
# smtp_stub.py: a broken SMTP server on loopback for the mailer's failure tests (t25): it
# binds a free port and logs, per connection, when it was accepted and when it ended, so
# the test can tell how long the mailer waited and how long it stayed.
#
#   smtp_stub.py busy|stall DIR
#
# busy   greets with "421 4.3.2 try again later" and closes: a temporary failure (RFC 5321
#        4.2.3), fast, for the back-off.
# stall  accepts and never says a word, until the client gives up and closes.
#
# DIR/port holds the port once the server listens (written whole, by rename); DIR/log
# gets "N accept|close EPOCH-SECONDS" lines, flushed as they happen.
import os
import socket
import sys
import threading
import time


def main():
    mode, d = sys.argv[1], sys.argv[2]
    if mode not in ("busy", "stall"):
        sys.exit("usage: smtp_stub.py busy|stall DIR")
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 0))
    s.listen(16)
    log = open(os.path.join(d, "log"), "a", buffering=1)
    lock = threading.Lock()

    def say(n, what):
        with lock:
            log.write("%d %s %.6f\n" % (n, what, time.time()))

    def serve(c, n):
        with c:
            if mode == "busy":
                c.sendall(b"421 4.3.2 smtp_stub: try again later\r\n")
            else:
                while c.recv(4096):
                    pass
        say(n, "close")

    with open(os.path.join(d, ".port"), "w") as f:
        f.write("%d\n" % s.getsockname()[1])
    os.rename(os.path.join(d, ".port"), os.path.join(d, "port"))
    n = 0
    while True:
        c, _ = s.accept()
        n += 1
        say(n, "accept")
        threading.Thread(target=serve, args=(c, n), daemon=True).start()


if __name__ == "__main__":
    main()
