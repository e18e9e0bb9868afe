#!/usr/bin/env python3
"""recorder.py: a TCP relay between nginx and cshq that keeps a copy of every byte nginx
sends upstream, one file per connection (DIR/conn-N.bin, written and flushed as the bytes
pass). The deploy test searches these files for markers: a marker absent from all of them
never reached cshq, whatever connection or framing nginx would have used.

usage: recorder.py LISTEN_ADDR:PORT UPSTREAM_ADDR:PORT DIR
"""
import os
import socket
import sys
import threading


def split(hostport):
    host, port = hostport.rsplit(":", 1)
    return host, int(port)


def pump(src, dst, record):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            if record:
                record.write(data)
                record.flush()
            dst.sendall(data)
    except OSError:
        pass
    finally:
        for s, how in ((dst, socket.SHUT_WR), (src, socket.SHUT_RD)):
            try:
                s.shutdown(how)
            except OSError:
                pass


def serve(client, upstream, path):
    try:
        up = socket.create_connection(upstream, timeout=10)
        up.settimeout(None)
    except OSError:
        client.close()
        return
    with open(path, "wb") as record:
        t = threading.Thread(target=pump, args=(up, client, None), daemon=True)
        t.start()
        pump(client, up, record)
        t.join()
    client.close()
    up.close()


def main():
    listen, upstream, outdir = split(sys.argv[1]), split(sys.argv[2]), sys.argv[3]
    os.makedirs(outdir, exist_ok=True)
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(listen)
    srv.listen(128)
    n = 0
    while True:
        client, _ = srv.accept()
        n += 1
        path = os.path.join(outdir, f"conn-{n}.bin")
        threading.Thread(target=serve, args=(client, upstream, path), daemon=True).start()


if __name__ == "__main__":
    main()
