#!/usr/bin/env python3
"""A fast SMTP sink for the benchmark: accepts every message, keeps none, and appends each Message-Id to a file.

maildev parses and stores every message, which caps it far below the 500 messages/s the benchmark must measure.
This sink only scans for the end of DATA and the Message-Id header, so it is never the bottleneck.
The Message-Id is written before the 250 reply, so once the app has marked a row sent, its id is in the file.
"""
import argparse
import asyncio
import re
import signal
import sys

MESSAGE_ID = re.compile(rb"^message-id:[ \t]*<?([^>\r\n]+)>?", re.IGNORECASE | re.MULTILINE)
EHLO_REPLY = b"250-bench-sink\r\n250-PIPELINING\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 SIZE 52428800\r\n"


class Stats:
    messages = 0
    connections = 0


class SmtpSink(asyncio.Protocol):
    def __init__(self, ids_file):
        self.ids_file = ids_file
        self.buffer = b""
        self.in_data = False
        self.transport = None

    def connection_made(self, transport):
        Stats.connections += 1
        self.transport = transport
        transport.write(b"220 bench-sink ESMTP\r\n")

    def data_received(self, data):
        self.buffer += data
        replies = []
        while True:
            if self.in_data:
                # The message ends with CRLF.CRLF; the DATA command's own CRLF counts for an empty message.
                end = self.buffer.find(b"\r\n.\r\n")
                if end < 0:
                    break
                message = self.buffer[:end]
                self.buffer = self.buffer[end + 5:]
                self.in_data = False
                header_end = message.find(b"\r\n\r\n")
                found = MESSAGE_ID.search(message[: header_end if header_end >= 0 else len(message)])
                self.ids_file.write((found.group(1).decode("ascii", "replace") if found else "(none)") + "\n")
                self.ids_file.flush()
                Stats.messages += 1
                replies.append(b"250 2.0.0 queued\r\n")
                continue
            line_end = self.buffer.find(b"\r\n")
            if line_end < 0:
                break
            line = self.buffer[:line_end]
            verb = line[:4].upper()
            if verb == b"DATA":
                # Keep the CRLF so that an immediate "." line is found by the search above.
                self.buffer = self.buffer[line_end:]
                self.in_data = True
                replies.append(b"354 end with <CRLF>.<CRLF>\r\n")
                continue
            self.buffer = self.buffer[line_end + 2:]
            if verb == b"EHLO":
                replies.append(EHLO_REPLY)
            elif verb == b"QUIT":
                replies.append(b"221 bye\r\n")
                self.transport.write(b"".join(replies))
                self.transport.close()
                return
            else:
                replies.append(b"250 OK\r\n")
        if replies:
            self.transport.write(b"".join(replies))


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--ids", required=True, help="file to append each received Message-Id to")
    args = parser.parse_args()
    ids_file = open(args.ids, "a", encoding="ascii", buffering=1 << 16)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SmtpSink(ids_file), "127.0.0.1", args.port, reuse_address=True, backlog=512)
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    print(f"smtp sink listening on 127.0.0.1:{args.port}", flush=True)
    await stop.wait()
    server.close()
    ids_file.close()
    print(f"smtp sink stopped: {Stats.messages} messages on {Stats.connections} connections", flush=True)


if __name__ == "__main__":
    asyncio.run(main())
    sys.exit(0)
