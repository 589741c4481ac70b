/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

#ifndef FAILOVER_HANDOFF_H
#define FAILOVER_HANDOFF_H

/**
 * @file
 * Lockless hand-off of the active path between the control plane (one
 * writer at a time) and the burst functions (readers, one per queue).
 *
 * The published word (@c value) names the sub-port the bursts use. A
 * reader reads it once per burst, between failover_handoff_enter() and
 * failover_handoff_leave(). The writer publishes a new word with
 * failover_handoff_switch(), which returns only once no reader can still
 * be using an older word; the caller may then stop or close the old
 * sub-port. Readers never lock, never do an atomic read-modify-write and
 * never wait; idle readers never delay the writer.
 *
 * Protocol. Every reader owns a counter @c seq, written only by its own
 * thread: even outside a burst, odd inside one.
 *
 *   reader enter:  seq := seq + 1 (odd, relaxed store)
 *                  FENCE
 *                  v := value (acquire load)     ... burst uses v ...
 *   reader leave:  seq := seq + 1 (even, store-release)
 *
 *   writer:        value := new (store-release)
 *                  BARRIER
 *                  n := nb_readers (acquire load)
 *                  snap[i] := readers[i]->seq (acquire loads), every i < n
 *                  for each i with snap[i] odd:
 *                      wait until readers[i]->seq != snap[i]
 *
 * FENCE and BARRIER come in two pairings, chosen once at init:
 * - asymmetric (default when the kernel has it): FENCE is a compiler-only
 *   barrier and BARRIER is membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED),
 *   which makes every running thread of the process execute a full memory
 *   barrier, and a thread not running passes one when it is next scheduled;
 * - symmetric (fallback): both are __atomic_thread_fence(__ATOMIC_SEQ_CST).
 *
 * Why the writer may reclaim the old sub-port when it returns. Take any
 * burst that read an older word; it began with the odd store S of its
 * seq, then read the word with the load L. The barrier puts a point P in
 * the reader's instruction stream (the IPI's full barrier, a context
 * switch, or in symmetric mode the order of the two seq_cst fences):
 * - if L came after P, L sees the new word (the writer's store preceded
 *   P), so the burst did not read an older word: contradiction;
 * - so S came before P, and the full barrier at P made S visible before
 *   the snapshot: the snapshot reads S's odd value or a later one.
 *   . snapshot == S's value: the writer waits until seq changes. Only the
 *     reader changes it, and its next store is the leave of that burst;
 *   . snapshot even, or odd but later: the burst had already left.
 *   In every case the writer's acquire load reads the burst's leave
 *   store-release, or a later store by the same thread, which C11 puts in
 *   the release sequence of that leave (C11 5.1.2.4p10; the hardware
 *   mappings, x86-TSO store order and Armv8 "po;[L];coi", give the same).
 *   So every access of the burst to the old sub-port happens before the
 *   writer returns.
 * A reader seen even is between bursts: its next burst starts after P and
 * reads the new word, so the writer skips it; this is why idle queues
 * (never polled, or not polled right now) never delay a switch. A reader
 * seen odd is waited for one change only, not until it is seen even, so
 * a queue polled back to back cannot starve the writer.
 *
 * Costs: the reader pays two plain stores, one load of its own line, one
 * load of @c value and a predictable branch on @c asymmetric (plus a full
 * fence per burst in symmetric mode); the writer pays one membarrier()
 * system call and one load per reader. docs/design/handoff.rst has the
 * full argument and the Promela model (tests/model/handoff.pml) that
 * checks it.
 *
 * Scope: membarrier(PRIVATE_EXPEDITED) reaches the threads of the calling
 * process only; readers in another process (DPDK secondary processes)
 * need the symmetric mode.
 *
 * Registration. failover_handoff_reader_add() may run while a writer
 * waits (e.g. queue set-up on the control thread while an event callback
 * switches on another): it stores the reader in its slot first, then
 * publishes the new count with a store-release that the writer's
 * acquire load of the count pairs with, so a writer never sees a slot it
 * counts before the slot is filled. The reader's first burst must begin
 * after reader_add() returned. failover_handoff_reader_del() must be
 * serialised with the writers (called under the lock that serialises
 * them): a writer holds reader pointers for its whole wait and the
 * pending list of a timed-out wait keeps them until they are seen to
 * move, and reader_del() drops them there; once it returned the reader
 * may be freed.
 *
 * Bounded waits and quarantine. failover_handoff_switch_timed() and
 * failover_handoff_synchronize_timed() give up at a deadline with
 * -ETIMEDOUT and hand back a token naming "every burst that began before
 * this call's barrier". The new value stays published; the bursts the
 * call saw inside and could not wait for are kept in a pending list, and
 * failover_handoff_quiesced(h, token) tells later, without waiting,
 * whether they have all left. Until it does, the caller keeps the old
 * sub-port quarantined: out of the path, but neither stopped, closed nor
 * freed.
 */

#include <stdbool.h>
#include <stdint.h>

#define FAILOVER_CACHE_LINE 64

/**
 * failover_handoff_init_flags(): force the symmetric protocol (a full
 * fence in every failover_handoff_enter()) even when membarrier() is
 * available. For tests, and for readers the membarrier() of this process
 * cannot reach.
 */
#define FAILOVER_HANDOFF_F_SYMMETRIC (1u << 0)

/*
 * A full fence. GCC's ThreadSanitizer does not model fences and warns
 * (-Wtsan); the fence still executes. TSan takes its happens-before edges
 * from the acquire/release pairs, which carry every edge this protocol
 * needs: the fences only rule out the store-buffering outcome, which TSan
 * does not simulate.
 */
#if defined(__SANITIZE_THREAD__) && defined(__GNUC__) && __GNUC__ >= 11 && \
	!defined(__clang__)
#define FAILOVER_HANDOFF_FULL_FENCE() do { \
	_Pragma("GCC diagnostic push") \
	_Pragma("GCC diagnostic ignored \"-Wtsan\"") \
	__atomic_thread_fence(__ATOMIC_SEQ_CST); \
	_Pragma("GCC diagnostic pop") \
} while (0)
#else
#define FAILOVER_HANDOFF_FULL_FENCE() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#endif

/** Per-queue reader state. Written only by the lcore polling that queue. */
struct failover_handoff_reader {
	uint64_t seq; /**< odd while inside a burst */
} __attribute__((aligned(FAILOVER_CACHE_LINE)));

/**
 * A burst a writer saw in progress: @p reader had the odd @p seq at the
 * snapshot. It holds back every token from @p token on until the
 * reader's seq moves.
 */
struct failover_handoff_burst {
	const struct failover_handoff_reader *reader;
	uint64_t seq;
	uint64_t token;
};

/** The published value and the set of readers a writer waits for. */
struct failover_handoff {
	uint32_t value;     /**< the published word, read once per burst */
	bool asymmetric;    /**< membarrier() pays the readers' fence */
	/* registration: slots [0, nb_readers) are filled */
	struct failover_handoff_reader **readers;
	unsigned int nb_readers; /**< store-release by reader_add */
	unsigned int max_readers;
	/* writer side, control plane only, serialised by the caller */
	struct failover_handoff_burst *snapshot; /**< bursts seen by a wait */
	struct failover_handoff_burst *pending;  /**< not yet seen leaving */
	unsigned int nb_pending;
	uint64_t last_token;  /**< token of the last synchronize */
	uint64_t first_unsnapped; /**< oldest token no snapshot covers yet */
} __attribute__((aligned(FAILOVER_CACHE_LINE)));

/** How readers and writer pair their barriers (failover_handoff_mode()). */
enum failover_handoff_mode {
	/** Full fence in every enter(), full fence in the writer. */
	FAILOVER_HANDOFF_MODE_SYMMETRIC,
	/** Compiler barrier in enter(), membarrier() in the writer. */
	FAILOVER_HANDOFF_MODE_ASYMMETRIC,
};

/**
 * Initialise with a first value and room for @p max_readers readers.
 * Registers the process for MEMBARRIER_CMD_PRIVATE_EXPEDITED when the
 * kernel has it; otherwise readers fall back to a full fence.
 * @return 0, -EINVAL (@p max_readers is 0), or -ENOMEM.
 */
int failover_handoff_init(struct failover_handoff *h, uint32_t value,
		unsigned int max_readers);

/**
 * failover_handoff_init() with @p flags (FAILOVER_HANDOFF_F_*).
 * @return 0, -EINVAL (unknown flag, or @p max_readers is 0), or -ENOMEM.
 */
int failover_handoff_init_flags(struct failover_handoff *h, uint32_t value,
		unsigned int max_readers, unsigned int flags);

/** Free what init allocated. No reader may be inside a burst. */
void failover_handoff_fini(struct failover_handoff *h);

/** The mode init chose: asymmetric unless forced or membarrier() lacks. */
enum failover_handoff_mode
failover_handoff_mode(const struct failover_handoff *h);

/**
 * Make @p r a reader that is outside any burst. Call once before its
 * first use (zeroed memory is already in that state), never while its
 * queue may be polled.
 */
static inline void
failover_handoff_reader_init(struct failover_handoff_reader *r)
{
	/* The queue is not polled yet: nobody else reads seq. */
	__atomic_store_n(&r->seq, 0, __ATOMIC_RELAXED);
}

/**
 * Add a reader. Control plane; one registration (add or del) at a time,
 * but it may run while a writer switches or synchronises on another
 * thread: the reader is published to the writers with a store-release
 * after its slot is filled. Its queue must not be polled before this
 * returns (its first burst must begin after). Adding keeps its seq (a
 * queue set up again keeps counting).
 * @return 0, -EEXIST or -ENOSPC.
 */
int failover_handoff_reader_add(struct failover_handoff *h,
		struct failover_handoff_reader *r);

/**
 * Remove a reader. Call it only once its queue can no longer be polled
 * (it is not waited for any more), one registration at a time, and
 * serialised with the writers (switch, synchronize, quiesced): under the
 * same lock. It also forgets the reader's bursts a timed-out wait kept;
 * once it returns, @p r may be freed.
 */
void failover_handoff_reader_del(struct failover_handoff *h,
		struct failover_handoff_reader *r);

/** Reader: enter a burst, returning the value to use for this burst. */
static inline uint32_t failover_handoff_enter(const struct failover_handoff *h,
		struct failover_handoff_reader *r);
/** Reader: leave the burst; the value read at enter is no longer used. */
static inline void failover_handoff_leave(struct failover_handoff_reader *r);

static inline uint32_t
failover_handoff_enter(const struct failover_handoff *h,
		struct failover_handoff_reader *r)
{
	/* Only this thread writes seq: a relaxed load returns its own last store. */
	uint64_t seq = __atomic_load_n(&r->seq, __ATOMIC_RELAXED) + 1;

	/*
	 * Relaxed: the odd seq only has to be visible to a writer that
	 * published after our load of value below, which is the fence's job.
	 */
	__atomic_store_n(&r->seq, seq, __ATOMIC_RELAXED);
	if (h->asymmetric)
		/*
		 * Compiler-only: keep the seq store before the value load in
		 * program order; the writer's membarrier() makes the CPU
		 * execute the full barrier at the point it interrupts us.
		 */
		__atomic_signal_fence(__ATOMIC_SEQ_CST);
	else
		/*
		 * Store->load: the odd seq is visible before value is read,
		 * pairing with the writer's seq_cst fence between its value
		 * store and its seq loads (store-buffering pattern).
		 */
		FAILOVER_HANDOFF_FULL_FENCE();
	/*
	 * Acquire: pairs with the writer's store-release of value, so what
	 * it prepared for that sub-port before publishing is visible here.
	 */
	return __atomic_load_n(&h->value, __ATOMIC_ACQUIRE);
}

static inline void
failover_handoff_leave(struct failover_handoff_reader *r)
{
	/* Only this thread writes seq: a relaxed load returns its own last store. */
	uint64_t seq = __atomic_load_n(&r->seq, __ATOMIC_RELAXED) + 1;

	/*
	 * Release: every access of this burst to the sub-port happens before
	 * a writer whose acquire load sees this even seq (or a later store of
	 * ours, in this store's release sequence).
	 */
	__atomic_store_n(&r->seq, seq, __ATOMIC_RELEASE);
}

/** Writer: the value currently published. */
uint32_t failover_handoff_value(const struct failover_handoff *h);

/**
 * Writer: publish a new value without waiting. For a value whose change
 * retires nothing: readers move to it burst by burst. Writers must be
 * serialised by the caller.
 */
void failover_handoff_publish(struct failover_handoff *h, uint32_t value);

/**
 * Writer: publish a new value, then wait until no reader can still be using
 * any older one. Idle readers (not inside a burst) never delay it.
 * Writers must be serialised by the caller.
 * Same as failover_handoff_switch_timed() with no token.
 *
 * @param timeout_ns  give up after this long (0: wait forever)
 * @return 0 when every reader is past the old value, -ETIMEDOUT otherwise
 *         (the value is published all the same), or the negative errno of
 *         a failed membarrier() (not expected once init registered it; the
 *         value is published and the old one must not be reclaimed).
 */
int failover_handoff_switch(struct failover_handoff *h, uint32_t value,
		uint64_t timeout_ns);

/**
 * Writer: wait for readers without publishing (e.g. before reclaiming).
 * Every burst that began before the call has left when it returns 0.
 * Same return values as failover_handoff_switch().
 */
int failover_handoff_synchronize(struct failover_handoff *h,
		uint64_t timeout_ns);

/**
 * Writer: failover_handoff_switch() that also returns a token for
 * failover_handoff_quiesced().
 *
 * @param timeout_ns  give up after this long (0: wait forever)
 * @param token       if not NULL, set in every case to the token of this
 *                    call: "every burst that began before its barrier",
 *                    which includes every burst that read an older value
 * @return 0: every such burst has left, the old value's sub-port may be
 *         reclaimed;
 *         -ETIMEDOUT: some reader is still inside a burst that may use an
 *         older value. @p value is published (new bursts use it) and the
 *         state is consistent; only the wait did not finish. Keep the old
 *         sub-port (do not stop, close or free it) until
 *         failover_handoff_quiesced(h, *token) is true or a later
 *         switch/synchronize returns 0;
 *         another negative errno: membarrier() failed, same rule as
 *         -ETIMEDOUT.
 */
int failover_handoff_switch_timed(struct failover_handoff *h, uint32_t value,
		uint64_t timeout_ns, uint64_t *token);

/**
 * Writer: failover_handoff_synchronize() that also returns a token, as
 * failover_handoff_switch_timed() does.
 */
int failover_handoff_synchronize_timed(struct failover_handoff *h,
		uint64_t timeout_ns, uint64_t *token);

/**
 * Writer: has every burst that began before the barrier of the call that
 * returned @p token left? Never waits and issues no barrier: it only
 * looks at the bursts that call (or a later one) saw and could not wait
 * for. Serialised with the writers like them. Once true for a token it
 * stays true. A token no call returned (0, or newer than the last one)
 * is never quiesced.
 */
bool failover_handoff_quiesced(const struct failover_handoff *h,
		uint64_t token);

#endif /* FAILOVER_HANDOFF_H */
