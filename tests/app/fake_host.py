#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The net_failover authors
"""A fake host for fo-testpmd's control channel (host_protocol.rst).

Listens on a UNIX socket, waits for the guest's HELLO, then sends each
command of a fixed script and checks the guest's reply. Exits 0 when every
reply was the expected one, 1 otherwise, 2 on a timeout.

Usage: fake_host.py null|virtio|hostile SOCKET [DIR MAC]
  null:    VFs are net_null/net_ring devices (see script_null()), for a
           guest with --ctl-allow any;
  virtio:  VFs are virtio-user servers in DIR carrying MAC, the failover
           port's MAC (vf_match=mac); see script_virtio();
  hostile: what a host must not get away with, for a guest with the
           default --ctl-allow and --ctl-probe-timeout-ms 3000, its
           control directory DIR (see script_hostile()).
A line '' is sent as an empty line; 'SLEEP N' is not sent: the host waits
N seconds; 'PENDING <line>' is sent, its answer not awaited: the host
says "host: pending" and waits for the guest to go away.
A step may carry a third field: the most seconds its answer may take.
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
        ('', 'ERR - empty line'),
        ('PING', 'OK PING'),
    ]


def script_hostile(d):
    """For a guest with the default policy: every line answered, nothing
    outside the allowlist probed, no probe waits for ever."""
    vu = 'net_virtio_user3,path=%s/vf3.sock,server=1' % d
    return [
        ('PING', 'OK PING'),
        ('', 'ERR - empty line'),
        ('\0PING', 'ERR ?PING invalid byte*'),
        ('PI\x01NG', 'ERR PI?NG invalid byte*'),
        # One answer for a line of 5000 bytes, not one per 512.
        ('P' * 5000, 'ERR ' + 'P' * 31 + ' line too long'),
        ('PING', 'OK PING'),
        ('VF_ADD net_pcap9,rx_iface=lo,tx_pcap=%s/x.pcap' % d,
         "ERR VF_ADD device 'net_pcap9' not allowed*"),
        ('VF_ADD net_null7', "ERR VF_ADD device 'net_null7' not allowed*"),
        ('VF_ADD net_virtio_user3,path=/tmp/vf3.sock,server=1',
         'ERR VF_ADD path=/tmp/vf3.sock: not in the control directory*'),
        ('VF_ADD net_virtio_user3,path=%s/../vf3.sock,server=1' % d,
         'ERR VF_ADD path=*'),
        ('VF_ADD net_virtio_user3,path=%s/vf3.sock' % d,
         'ERR VF_ADD server=1 missing*'),
        ('VF_ADD %s,mac=zz' % vu, 'ERR VF_ADD mac=zz: invalid value'),
        ('VF_ADD %s,queues=100000' % vu,
         'ERR VF_ADD queues=100000: invalid value'),
        ('VF_ADD %s,iface=tap0' % vu, "ERR VF_ADD key 'iface' not allowed*"),
        ('VF_YANK ../x', "ERR VF_YANK device name*"),
        # Allowed, but nobody ever connects: abandoned in bounded time.
        ('VF_ADD ' + vu,
         'ERR VF_ADD no vhost-user connection in 3000 ms: abandoned', 6),
        ('VF_YANK net_virtio_user3', 'ERR VF_YANK no such device'),
        ('PING', 'OK PING'),
        ('PENDING VF_ADD ' + vu, None),
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
    if len(sys.argv) < 3 or sys.argv[1] not in (
            'null', 'virtio', 'hostile') or (
            sys.argv[1] == 'virtio' and len(sys.argv) != 5) or (
            sys.argv[1] == 'hostile' and len(sys.argv) != 4):
        print(__doc__)
        return 2
    path = sys.argv[2]
    if sys.argv[1] == 'null':
        steps, mac = script_null(), None
    elif sys.argv[1] == 'hostile':
        steps, mac = script_hostile(sys.argv[3]), None
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
        for step in steps:
            sent, want = step[0], step[1]
            most_s = step[2] if len(step) > 2 else TIMEOUT_S
            if sent.startswith('SLEEP '):
                time.sleep(float(sent.split()[1]))
                continue
            pending = sent.startswith('PENDING ')
            if pending:
                sent = sent[len('PENDING '):]
            print('host: > ' + sent[:80].encode('unicode_escape').decode(),
                  flush=True)
            t0 = time.monotonic()
            conn.sendall(sent.encode('latin-1') + b'\n')
            if pending:
                print('host: pending', flush=True)
                try:
                    while conn.recv(4096):
                        pass
                except OSError:
                    pass
                continue
            if want is None:
                continue
            got = lines.get()
            took = time.monotonic() - t0
            ok = (got.startswith(want[:-1]) if want.endswith('*')
                  else got == want)
            late = took > most_s
            print('host: < %s (%.2f s)%s%s' % (
                got, took, '' if ok else '   FAIL: expected ' + want,
                '   FAIL: later than %s s' % most_s if late else ''),
                flush=True)
            failed += (not ok) + late
        conn.close()
    except (socket.timeout, EOFError) as e:
        print('host: FAIL: %s' % e, flush=True)
        return 2
    finally:
        srv.close()
        os.unlink(path)
    checked = 1 + sum(1 for step in steps if step[1] is not None)
    print('host: %d replies checked, %d wrong' % (checked, failed),
          flush=True)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
