#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The net_failover authors
"""Plot the timeline fo-hostsim writes with --csv.

    plot_timeline.py TIMELINE.csv OUT.png [--title TEXT]

The CSV has one row per 50 ms: time_s, syn_pps, vf_pps, tx_pps, event
(the triggers that happened in that slice, '|'-separated). The plot shows
the packets per second the host received back on each path, what it sent,
and a marker at every event.
"""

import argparse
import csv
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after the backend choice)


def read(path):
    t, syn, vf, tx, events = [], [], [], [], []
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            t.append(float(row["time_s"]))
            syn.append(float(row["syn_pps"]) / 1000)
            vf.append(float(row["vf_pps"]) / 1000)
            tx.append(float(row["tx_pps"]) / 1000)
            for name in filter(None, row["event"].split("|")):
                events.append((float(row["time_s"]), name))
    return t, syn, vf, tx, events


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("csv")
    ap.add_argument("png")
    ap.add_argument("--title", default="net_failover: traffic per path, "
                    "as the host sees it")
    args = ap.parse_args()

    t, syn, vf, tx, events = read(args.csv)
    if not t:
        print("plot_timeline: %s has no rows" % args.csv, file=sys.stderr)
        return 1

    fig, ax = plt.subplots(figsize=(12, 4.5))
    ax.plot(t, tx, color="0.6", linestyle=":", linewidth=1,
            label="sent by the host")
    ax.plot(t, syn, color="tab:blue", linewidth=1.5,
            label="back on the synthetic path")
    ax.plot(t, vf, color="tab:orange", linewidth=1.5,
            label="back on the VF")
    top = max(max(tx), max(syn), max(vf), 1) * 1.25
    for i, (when, name) in enumerate(events):
        ax.axvline(when, color="tab:red", linewidth=0.8, alpha=0.6)
        # Alternate heights so that close events stay readable.
        ax.text(when, top * (0.97 - 0.07 * (i % 2)), " " + name,
                rotation=0, fontsize=8, color="tab:red",
                verticalalignment="top")
    ax.set_ylim(0, top)
    ax.set_xlim(0, t[-1])
    ax.set_xlabel("time (s)")
    ax.set_ylabel("kpps (50 ms slices)")
    ax.set_title(args.title)
    ax.legend(loc="lower right", fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(args.png, dpi=110)
    return 0


if __name__ == "__main__":
    sys.exit(main())
