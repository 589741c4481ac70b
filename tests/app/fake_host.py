#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The net_failover authors
"""A fake host for fo-testpmd's control channel (host_protocol.rst).

Listens on a UNIX socket, waits for the guest's HELLO, then sends each
command of a fixed script and checks the guest's reply. Exits 0 when every
reply was the expected one, 1 otherwise, 2 on a timeout.

Usage: fake_host.py null|virtio SOCKET [DIR MAC]
  null:   VFs are net_null/net_ring devices (see script_null());
  virtio: VFs are virtio-user servers in DIR carrying MAC, the failover
          port's MAC (vf_match=mac); see script_virtio().
A line '' is sent as an empty line, which gets no reply; 'SLEEP N' is not
sent: the host waits N seconds.
"""

import time

import os
import socket
import sys

TIMEOUT_S = 20


def vf_devargs(d, n, mac):
    return ('net_virtio_user%d,path=%s/vf%d.sock,server=1,queues=1,mac=%s'
            % (n, d, n, mac))


def script_null():
    """For a guest started with vf=net_null1: devices that probe at once.

    (line sent, expected reply, or its prefix when it ends with '*')."""
    return [
        ('PING', 'OK PING'),
        ('SLEEP 1', None),
        ('VF_REMOVE net_null1', 'OK VF_REMOVE'),
        ('VF_ADD net_null7', 'OK VF_ADD'),
        ('VF_YANK net_null7', 'OK VF_YANK'),
        ('VF_YANK net_null7', 'ERR VF_YANK no such device'),
        ('VF_ADD net_ring3', 'OK VF_ADD'),
        ('VF_REMOVE net_ring3', 'OK VF_REMOVE'),
        ('BOGUS 1 2', 'ERR BOGUS unknown command'),
        ('VF_REMOVE', 'ERR VF_REMOVE missing argument'),
        ('VF_YANK a b', 'ERR VF_YANK one argument expected'),
        ('PING extra', 'ERR PING unexpected argument'),
        ('VF_ADD net_nosuchdriver0', 'ERR VF_ADD *'),
        ('VF_YANK net_null0', 'ERR VF_YANK device is the synthetic path'),
        ('VF_REMOVE net_null0',
         'ERR VF_REMOVE device is the synthetic path'),
        ('VF_YANK net_failover0',
         'ERR VF_YANK device is a forwarding port'),
        ('X' * 600, 'ERR ' + 'X' * 31 + ' line too long'),
        ('', None),
        ('PING', 'OK PING'),
    ]


def script_virtio(d, mac):
    """For a guest with vf_match=mac, each VF's vhost end already waiting
    as a client (e.g. dpdk-testpmd --vdev net_vhost1,iface=DIR/vf1.sock,
    client=1): the guest's probe of a virtio-user server returns once it
    connects."""
    return [
        ('PING', 'OK PING'),
        ('VF_ADD ' + vf_devargs(d, 1, mac), 'OK VF_ADD'),
        ('SLEEP 2', None),
        ('VF_REMOVE net_virtio_user1', 'OK VF_REMOVE'),
        ('VF_ADD ' + vf_devargs(d, 2, mac), 'OK VF_ADD'),
        ('SLEEP 2', None),
        ('VF_YANK net_virtio_user2', 'OK VF_YANK'),
        ('PING', 'OK PING'),
    ]


class Lines:
    def __init__(self, conn):
        self.conn = conn
        self.buf = b''

    def get(self):
        while b'\n' not in self.buf:
            data = self.conn.recv(4096)
            if not data:
                raise EOFError('guest closed the connection')
            self.buf += data
        line, self.buf = self.buf.split(b'\n', 1)
        return line.decode()


def main():
    if len(sys.argv) < 3 or sys.argv[1] not in ('null', 'virtio') or (
            sys.argv[1] == 'virtio' and len(sys.argv) != 5):
        print(__doc__)
        return 2
    path = sys.argv[2]
    if sys.argv[1] == 'null':
        steps, mac = script_null(), None
    else:
        steps, mac = script_virtio(sys.argv[3], sys.argv[4]), sys.argv[4]
    if os.path.exists(path):
        os.unlink(path)
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(path)
    srv.listen(1)
    srv.settimeout(TIMEOUT_S)
    failed = 0
    try:
        conn, _ = srv.accept()
        conn.settimeout(TIMEOUT_S)
        lines = Lines(conn)
        hello = lines.get()
        print('host: < ' + hello, flush=True)
        if not hello.startswith('HELLO ') or len(hello.split()) != 3 or (
                mac is not None and hello.split()[2].lower() != mac.lower()):
            print('host: FAIL: bad HELLO', flush=True)
            failed += 1
        for sent, want in steps:
            if sent.startswith('SLEEP '):
                time.sleep(float(sent.split()[1]))
                continue
            print('host: > ' + sent[:80], flush=True)
            conn.sendall(sent.encode() + b'\n')
            if want is None:
                continue
            got = lines.get()
            ok = (got.startswith(want[:-1]) if want.endswith('*')
                  else got == want)
            print('host: < %s%s' % (got, '' if ok else
                                    '   FAIL: expected ' + want), flush=True)
            failed += not ok
        conn.close()
    except (socket.timeout, EOFError) as e:
        print('host: FAIL: %s' % e, flush=True)
        return 2
    finally:
        srv.close()
        os.unlink(path)
    checked = 1 + sum(1 for _, want in steps if want is not None)
    print('host: %d replies checked, %d wrong' % (checked, failed),
          flush=True)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
