/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/*
 * Promela model of the hand-off protocol of lib/failover_handoff.[ch]
 * (docs/design/handoff.rst explains the protocol and this model).
 *
 * Two busy readers (queues) burst forever or stop, one idle reader is
 * registered but never polled, and a writer switches the active path
 * A->B->A->B. After each switch returns, the writer reclaims the path it
 * left (reclaimed[old] = true); before publishing a path it brings it up
 * again (reclaimed[new] = false).
 *
 * Memory model: x86-TSO, the only reordering the protocol's fences are
 * there for. Every thread has a FIFO store buffer: a store enters it, a
 * drain process moves it to memory whenever it likes, loads read memory.
 * So a reader's load of the value may complete while its odd seq store is
 * still invisible to the writer. The acquire load of the value and the
 * release store at leave keep each burst's uses between those two points
 * on any architecture; the model places them there.
 *
 * Barriers:
 * - default (asymmetric): readers have a compiler barrier only, that is
 *   nothing here; the writer's membarrier() first drains its own buffer
 *   (the kernel's full barrier on the caller), then interrupts each
 *   reader in turn, draining its buffer (the IPI's full barrier), while
 *   the other threads keep running;
 * - SYMMETRIC: reader and writer each drain their own buffer (mfence).
 * Mutants, which spin must reject:
 * - NO_MEMBARRIER: asymmetric readers, the writer only fences itself;
 * - SYMMETRIC + NO_READER_FENCE: the reader's fence is missing;
 * - WAIT_FOR_EVEN: the writer waits to see a reader outside any burst
 *   instead of past the burst it saw; safe, but a reader bursting back to
 *   back starves it (writer_completes fails).
 *
 * seq is modelled by its parity in memory plus a ghost flag moved[i],
 * set by every store of reader i reaching memory and cleared by the
 * writer's snapshot of it. The real seq only grows (64 bits never wrap),
 * so "seq != snapshot" is exactly "one of its stores reached memory since
 * the snapshot", which moved[i] records; this keeps the state space
 * finite while readers burst forever. inuse[] is ghost state too.
 *
 * Checks: assertions (a burst never uses a reclaimed path; the writer
 * never reclaims a path a burst is using), no invalid end state (the
 * writer never blocks forever once readers stop), and the LTL property
 * writer_completes (under weak fairness the writer finishes even while
 * readers burst forever).
 */

#define A 0
#define B 1
#define NONE 2

#define NB_BUSY 2       /* readers 0 and 1 burst */
#define NB_READERS 3    /* reader 2 is registered but never polled */
#define NB_SWITCHES 3   /* A->B, B->A, A->B */

byte value = A;                 /* the published word, in memory */
bool reclaimed[2];              /* the writer tore this path down */
bit seq_par[NB_READERS];        /* parity of each reader's seq in memory */
bool moved[NB_READERS];         /* ghost: seq stored since the snapshot */
byte inuse[NB_BUSY] = NONE;     /* ghost: path used by the current burst */
bool wdone;                     /* the writer finished all its switches */

chan sb[NB_BUSY] = [2] of { bit };  /* readers' store buffers (seq) */
chan wsb = [1] of { byte };         /* writer's store buffer (value) */

/* A buffered seq store of reader i reaches memory. */
inline commit_seq(i)
{
	sb[i]?seq_par[i];
	moved[i] = true
}

/* Drain reader i's whole store buffer at once: a full barrier on it. */
inline drain_reader_now(i)
{
	atomic {
		do
		:: nempty(sb[i]) -> commit_seq(i)
		:: empty(sb[i]) -> break
		od
	}
}

proctype reader(byte i)
{
	byte v;

	do
	:: /* failover_handoff_enter() */
		sb[i]!1;                        /* seq odd, relaxed store */
#if defined(SYMMETRIC) && !defined(NO_READER_FENCE)
		empty(sb[i]);                   /* seq_cst fence */
#endif
		atomic {                        /* value, acquire load */
			v = value;
			inuse[i] = v
		}
		/* the burst uses sub-port v */
		assert(!reclaimed[v]);
		/* failover_handoff_leave(): seq even, store-release */
		atomic {
			sb[i]!0 ->
			inuse[i] = NONE
		}
	:: break                            /* the queue stops being polled */
	od
}

proctype drain_reader(byte i)
{
end:
	do
	:: atomic { nempty(sb[i]) -> commit_seq(i) }
	od
}

proctype drain_writer()
{
end:
	do
	:: atomic { nempty(wsb) -> wsb?value }
	od
}

proctype writer()
{
	byte cur = A, nxt, i, n;
	bit snap[NB_READERS];

	do
	:: n < NB_SWITCHES ->
		nxt = 1 - cur;
		reclaimed[nxt] = false;         /* bring the new path up */
		wsb!nxt;                        /* value, store-release */

		/* the barrier of failover_handoff_synchronize() */
		empty(wsb);                     /* full barrier on the writer */
#if !defined(SYMMETRIC) && !defined(NO_MEMBARRIER)
		i = 0;
		do                              /* one IPI per running reader */
		:: i < NB_BUSY -> drain_reader_now(i); i++
		:: else -> break
		od;
#endif

		/* snapshot every reader (acquire loads) */
		i = 0;
		do
		:: i < NB_READERS ->
			atomic {
				snap[i] = seq_par[i];
				moved[i] = false
			};
			i++
		:: else -> break
		od;

		/* wait for each reader seen odd to store again */
		i = 0;
		do
		:: i < NB_READERS ->
			if
#ifdef WAIT_FOR_EVEN
			:: snap[i] -> seq_par[i] == 0
#else
			:: snap[i] -> moved[i]
#endif
			:: else -> skip
			fi;
			i++
		:: else -> break
		od;

		/* the switch returned: reclaim the old path */
		atomic {
			assert(inuse[0] != cur && inuse[1] != cur);
			reclaimed[cur] = true
		};
		cur = nxt;
		n++
	:: else -> break
	od;
	wdone = true
}

init {
	atomic {
		reclaimed[B] = true;            /* only A is up at start */
		run writer();
		run reader(0);
		run reader(1);
		run drain_reader(0);
		run drain_reader(1);
		run drain_writer()
	}
}

ltl writer_completes { <> wdone }
