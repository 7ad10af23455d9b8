# A loopback SMTP sink for ops/bench-mail (Debian's aiosmtpd; run it with
# /usr/bin/python3): accepts every mail and appends "<unix time> <Message-ID>"
# per mail to LOG as it is handed over, nothing else (no Maildir), so the
# bench measures ticketd's side. Stops on SIGTERM.
# Usage: /usr/bin/python3 ops/bench-mail-sink.py PORT LOG
import signal
import sys
import threading
import time

from aiosmtpd.controller import Controller


class Recorder:
    def __init__(self, log):
        self.log = log

    async def handle_DATA(self, server, session, envelope):
        received = time.time()
        message_id = ""
        for line in envelope.content.split(b"\r\n"):
            if not line:
                break
            if line[:11].lower() == b"message-id:":
                message_id = line[11:].strip().decode("ascii", "replace")
                break
        self.log.write(f"{received:.6f} {message_id}\n")
        return "250 OK"


def main():
    port, path = int(sys.argv[1]), sys.argv[2]
    with open(path, "a", buffering=1) as log:
        controller = Controller(Recorder(log), hostname="127.0.0.1", port=port)
        controller.start()
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        signal.signal(signal.SIGINT, lambda *_: stop.set())
        print(f"listening on 127.0.0.1:{port}", flush=True)
        stop.wait()
        controller.stop()


if __name__ == "__main__":
    main()
