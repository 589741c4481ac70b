/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/*
 * Promela model of the hand-off protocol of lib/failover_handoff.[ch]
 * (docs/design/handoff.rst explains the protocol and this model).
 *
 * Readers (queues) burst forever or stop. The published word is a set of
 * paths (bit A, bit B), as the driver's words are: a burst uses every
 * path its word names. The writer runs
 *   {A} -> {A,B}  publish only (adds B: nothing leaves, no wait)
 *       -> {B}    switch (A leaves: wait, then reclaim A)
 *       -> {A,B}  publish only (adds A back)
 *       -> {A}    switch (B leaves: wait, then reclaim B)
 * Before publishing a word it brings up the paths it adds
 * (reclaimed[p] = false).
 *
 * Configurations (each checked on its own, to keep every state space a
 * few million states; REGISTRATION + TIMEOUTS is checked for safety):
 * - default: readers 0 and 1 burst, reader 2 is registered but never
 *   polled; waits never time out;
 * - REGISTRATION: reader 0 bursts, reader 1 is registered but never
 *   polled, and reader 2 is added by a control thread while the writer
 *   runs (slot, then count, then its queue is handed to its lcore),
 *   bursts, stops, and is removed under the writer lock and freed;
 * - TIMEOUTS: as the default, but any wait may time out: the word stays
 *   published and the paths that left are quarantined with the call's
 *   token; the writer reclaims a quarantined path only once
 *   failover_handoff_quiesced(token) holds, which it checks at each later
 *   step and, at the end, until every quarantine is over. A path brought
 *   up again leaves quarantine without being reclaimed.
 *
 * Memory model: x86-TSO, the only reordering the protocol's fences are
 * there for. Every thread has a FIFO store buffer: a store enters it, a
 * drain process moves it to memory whenever it likes, loads read memory.
 * So a reader's load of the value may complete while its odd seq store is
 * still invisible to the writer, and the writer may see the count of
 * readers before a slot stored earlier in program order only if the code
 * stores them in the other order. The acquire load of the value and the
 * release store at leave keep each burst's uses between those two points
 * on any architecture; the model places them there.
 *
 * Barriers:
 * - default (asymmetric): readers have a compiler barrier only, that is
 *   nothing here; the writer's membarrier() first drains its own buffer
 *   (the kernel's full barrier on the caller), then interrupts each other
 *   thread in turn (readers and the control thread), draining its buffer
 *   (the IPI's full barrier), while the other threads keep running;
 * - SYMMETRIC: reader and writer each drain their own buffer (mfence).
 * Locks: taking the writer lock is a locked read-modify-write, a full
 * barrier on the thread taking it.
 *
 * Mutants, which spin must reject:
 * - NO_MEMBARRIER: asymmetric readers, the writer only fences itself;
 * - SYMMETRIC + NO_READER_FENCE: the reader's fence is missing;
 * - WAIT_FOR_EVEN: the writer waits to see a reader
 *   outside any burst instead of past the burst it saw; safe, but a
 *   reader bursting back to back starves it (writer_completes fails);
 * - REGISTRATION + ADD_COUNT_FIRST: reader_add() publishes the count
 *   before the slot: the writer loads an empty slot (a NULL dereference);
 * - REGISTRATION + DEL_UNLOCKED: reader_del() and the free are not
 *   serialised with the writer: the writer loads a slot being emptied or
 *   reads a freed reader;
 * - TIMEOUTS + RECLAIM_ON_TIMEOUT: the writer reclaims the old path
 *   although its wait timed out, instead of quarantining it.
 *
 * seq is modelled by its parity in memory plus a ghost flag moved[i],
 * set by every store of reader i reaching memory and cleared by the
 * writer's snapshot of it. The real seq only grows (64 bits never wrap),
 * so "seq != snapshot" is exactly "one of its stores reached memory since
 * the snapshot", which moved[i] records; this keeps the state space
 * finite while readers burst forever. The library's pending list of
 * (reader, seq, token) is ptok[i]: the token (plus one) that reader i's
 * burst seen at the last snapshot holds back, kept from an older
 * snapshot when moved[i] says it is the same burst. inuse[], freed2 and
 * the quarantine are ghost state too.
 *
 * Checks: assertions (a burst never uses a reclaimed path; the writer
 * never reclaims a path a burst is using; the writer never loads an
 * empty slot nor reads a freed reader), no invalid end state (the writer
 * never blocks forever once readers stop), and the LTL property
 * writer_completes (under weak fairness the writer finishes, quarantines
 * included, even while readers burst forever).
 */

#define A 0
#define B 1
#define WA 1                    /* word bit of path A */
#define WB 2                    /* word bit of path B */
#define EMPTY 255               /* an empty reader slot (NULL) */

#define NB_READERS 3            /* 0 and 1 from the start, 2 added later */
#define NB_OPS 4

/* Writer step k: the word it publishes. */
#define OP_WORD(k) \
	((k) == 0 -> (WA | WB) : ((k) == 1 -> WB : ((k) == 2 -> (WA | WB) : WA)))

byte value = WA;                /* the published word, in memory */
bool reclaimed[2];              /* the writer tore this path down */
bool quarantined[2];            /* left the word, wait timed out */
byte qtoken[2];                 /* token of the call that quarantined it */
bit seq_par[NB_READERS];        /* parity of each reader's seq in memory */
bool moved[NB_READERS];         /* ghost: seq stored since the snapshot */
byte ptok[NB_READERS];          /* pending burst: 0 none, else token + 1 */
byte inuse[NB_READERS];         /* ghost: word of the current burst, 0 none */
bool wdone;                     /* the writer finished all its steps */

/* registration, in memory */
byte nb_readers = 2;
byte slot[NB_READERS];
bool go2;                       /* reader 2's queue is handed to its lcore */
bool stopped2;                  /* reader 2's lcore stopped polling it */
bool freed2;                    /* ghost: reader 2 was removed and freed */
bool wlock;                     /* serialises writer and reader_del() */

chan sb[NB_READERS] = [2] of { bit };   /* readers' store buffers (seq) */
chan wsb = [1] of { byte };             /* writer's store buffer (value) */
chan csb = [3] of { byte };             /* control thread's store buffer */

/* What a store in the control thread's buffer writes. */
#define ST_SLOT 0               /* slot[2] := reader 2 */
#define ST_COUNT 1              /* nb_readers := 3 (store-release) */
#define ST_GO 2                 /* hand the queue to its lcore */

/* A buffered seq store of reader i reaches memory. */
inline commit_seq(i)
{
	sb[i]?seq_par[i];
	moved[i] = true
}

/* A buffered store of the control thread reaches memory. */
inline commit_ctl()
{
	byte st;

	csb?st;
	if
	:: st == ST_SLOT -> slot[2] = 2
	:: st == ST_COUNT -> nb_readers = 3
	:: st == ST_GO -> go2 = true
	fi;
	st = 0
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

inline drain_ctl_now()
{
	atomic {
		do
		:: nempty(csb) -> commit_ctl()
		:: empty(csb) -> break
		od
	}
}

proctype reader(byte i)
{
	byte v;

	if
	:: i == 2 -> go2                /* polled only once added */
	:: else -> skip
	fi;
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
		/* the burst uses every sub-port v names */
		assert(!((v & WA) && reclaimed[A]));
		assert(!((v & WB) && reclaimed[B]));
		/* failover_handoff_leave(): seq even, store-release */
		atomic {
			sb[i]!0 ->
			inuse[i] = 0
		}
	:: break                            /* the queue stops being polled */
	od;
	if
	:: i == 2 ->
		/* its lcore is joined: its stores are visible to the control */
		empty(sb[i]);
		stopped2 = true
	:: else -> skip
	fi
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

#ifdef REGISTRATION
proctype drain_ctl()
{
end:
	do
	:: atomic { nempty(csb) -> commit_ctl() }
	od
}
#endif

/*
 * failover_handoff_quiesced(t): no pending burst that holds back t (its
 * token <= t) is still where the last snapshot saw it. pending_ok(i, t)
 * is that for reader i; reading a freed reader's seq is a bug.
 */
#define pending_ok(i, t) \
	(ptok[i] == 0 || ptok[i] - 1 > (t) || moved[i])
#define quiesced(t) \
	(pending_ok(0, t) && pending_ok(1, t) && pending_ok(2, t))

/* Reclaim quarantined path p once its token is quiesced. */
inline try_reclaim(p)
{
	atomic {
		if
		:: quarantined[p] && quiesced(qtoken[p]) ->
			assert(!(inuse[0] & (1 << p)) &&
				!(inuse[1] & (1 << p)) &&
				!(inuse[2] & (1 << p)));
			reclaimed[p] = true;
			quarantined[p] = false
		:: else -> skip
		fi
	}
}

/* Reclaim path p, which left the word and whose wait completed. */
inline reclaim_now(p)
{
	atomic {
		assert(!(inuse[0] & (1 << p)) && !(inuse[1] & (1 << p)) &&
			!(inuse[2] & (1 << p)));
		reclaimed[p] = true;
		quarantined[p] = false
	}
}

/* Take the writer lock: a locked RMW, a full barrier on the taker. */
inline lock(sbuf)
{
	atomic { !wlock -> wlock = true };
	empty(sbuf)
}

proctype writer()
{
	byte cur = WA, nxt, k, i, n, r, gone, p;
	bit snap[NB_READERS];
	bool timedout;

	do
	:: k < NB_OPS ->
		nxt = OP_WORD(k);
		lock(wsb);
		/* bring the paths it adds up; a quarantined one stays ours */
		p = 0;
		do
		:: p < 2 ->
			if
			:: (nxt & (1 << p)) && !(cur & (1 << p)) ->
				reclaimed[p] = false;
				quarantined[p] = false
			:: else -> skip
			fi;
			p++
		:: else -> break
		od;
		wsb!nxt;                        /* value, store-release */
		gone = cur & ~nxt;

		if
		:: gone == 0 -> skip            /* publish only: no wait */
		:: else ->
		/* failover_handoff_synchronize_timed(), token k */
		empty(wsb);                     /* full barrier on the writer */
#if !defined(SYMMETRIC) && !defined(NO_MEMBARRIER)
		i = 0;
		do                              /* one IPI per other thread */
		:: i < NB_READERS -> drain_reader_now(i); i++
		:: else -> break
		od;
		drain_ctl_now();
#endif

		/* snapshot: count (acquire), then each slot and its seq */
		n = nb_readers;
		i = 0;
		do
		:: i < NB_READERS -> snap[i] = 0; i++
		:: else -> break
		od;
		i = 0;
		do
		:: i < n ->
			r = slot[i];
			assert(r != EMPTY);             /* NULL reader */
			atomic {                        /* seq, acquire load */
				assert(!(r == 2 && freed2));
				snap[r] = seq_par[r];
				if
				:: snap[r] && ptok[r] != 0 && !moved[r] ->
					skip            /* same burst: older token */
				:: snap[r] && !(ptok[r] != 0 && !moved[r]) ->
					ptok[r] = k + 1
				:: !snap[r] ->
					ptok[r] = 0     /* left: dropped */
				fi;
				moved[r] = false
			};
			i++
		:: else -> break
		od;
		/* readers not counted hold nothing back */
		i = n;
		do
		:: i < NB_READERS -> ptok[i] = 0; i++
		:: else -> break
		od;

		/* wait for each reader seen odd to store again, or time out */
		timedout = false;
		i = 0;
		do
		:: i < NB_READERS ->
			if
			:: snap[i] ->
				if
#ifdef WAIT_FOR_EVEN
				:: seq_par[i] == 0 -> ptok[i] = 0
#else
				:: moved[i] ->
					assert(!(i == 2 && freed2));
					ptok[i] = 0
#endif
#ifdef TIMEOUTS
				:: true -> timedout = true; break
#endif
				fi
			:: else -> skip
			fi;
			i++
		:: else -> break
		od;

		/* the paths that left: reclaim, or quarantine with token k */
		p = 0;
		do
		:: p < 2 ->
			if
			:: gone & (1 << p) ->
#ifdef RECLAIM_ON_TIMEOUT
				reclaim_now(p)
#else
				if
				:: !timedout -> reclaim_now(p)
				:: timedout ->
					quarantined[p] = true;
					qtoken[p] = k
				fi
#endif
			:: else -> skip
			fi;
			p++
		:: else -> break
		od
		fi;

		/* the driver retries its quarantines at each step */
		try_reclaim(A);
		try_reclaim(B);
		wlock = false;
		cur = nxt;
		k++
	:: else -> break
	od;

	/* then until none is left */
	do
	:: !quarantined[A] && !quarantined[B] -> break
	:: quarantined[A] && quiesced(qtoken[A]) ->
		lock(wsb); try_reclaim(A); wlock = false
	:: quarantined[B] && quiesced(qtoken[B]) ->
		lock(wsb); try_reclaim(B); wlock = false
	od;
	wdone = true
}

#ifdef REGISTRATION
/*
 * The control thread: sets reader 2's queue up while the writer runs,
 * hands it to its lcore, and once it is no longer polled removes and
 * frees it.
 */
proctype control()
{
	/* failover_handoff_reader_add(): slot, then count (store-release) */
#ifdef ADD_COUNT_FIRST
	csb!ST_COUNT;
	csb!ST_SLOT;
#else
	csb!ST_SLOT;
	csb!ST_COUNT;
#endif
	csb!ST_GO;

	stopped2;
	/* failover_handoff_reader_del() under the writer lock, then free */
#ifndef DEL_UNLOCKED
	lock(csb);
#endif
	atomic {
		nb_readers = 2;
		slot[2] = EMPTY;
		ptok[2] = 0;            /* it forgets the reader's pending burst */
		freed2 = true
	};
#ifndef DEL_UNLOCKED
	wlock = false
#endif
}
#endif

init {
	atomic {
		reclaimed[B] = true;            /* only A is up at start */
		slot[0] = 0;
		slot[1] = 1;
		run writer();
		run reader(0);
		run drain_reader(0);
		run drain_writer();
#ifdef REGISTRATION
		/* reader 1 is registered but never polled; 2 comes and goes */
		slot[2] = EMPTY;
		nb_readers = 2;
		run reader(2);
		run drain_reader(2);
		run control();
		run drain_ctl()
#else
		/* reader 1 bursts too; reader 2 is registered, never polled */
		slot[2] = 2;
		nb_readers = 3;
		run reader(1);
		run drain_reader(1)
#endif
	}
}

ltl writer_completes { <> wdone }
