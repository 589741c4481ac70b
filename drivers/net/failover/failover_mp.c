/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/*
 * Secondary processes: the failover port seen from dpdk-proc-info,
 * dpdk-dumpcap, dpdk-pdump or an application's own secondary.
 *
 * A secondary attaches to the port the primary created (its ethdev data
 * and private data are in shared memory) but never runs the life cycle:
 * the control thread, the callbacks, the locks (priv->lock is a pointer
 * into a table of the primary's own) and the sub-ports' burst functions
 * captured in priv->fp are the primary's. So the secondary asks the
 * primary. Every read (basic and extended statistics, link, dev_info,
 * rte_pmd_failover_info_get()) is one multi-process request to the
 * primary, which answers by running its own op, under its own locks,
 * into a buffer the secondary allocated in shared memory: the figures are
 * the primary's by construction, names and ids included. Everything
 * else (configure, start, stop, queue set-up, settings, switch, detach,
 * resets, flows) is the primary's only and returns -E_RTE_SECONDARY.
 *
 * The sub-ports are probed by the primary. EAL attaches them in the
 * secondary as well (the vdev bus of a secondary asks the primary for its
 * device list, and a sub-port hot-plugged later by the primary is
 * attached in every secondary, which must therefore have the sub-ports'
 * drivers); their ownership is in ethdev's shared data, so
 * RTE_ETH_FOREACH_DEV hides them in the secondary too. Nothing here
 * uses them: the secondary reaches them only through the primary.
 *
 * The primary answers on a thread of its own per request, never on the
 * EAL multi-process thread: its op may wait for priv->lock while the
 * control thread holding it hot-plugs a VF, which waits for the
 * secondaries' replies that only the multi-process thread receives.
 *
 * Data path: a secondary may poll queues the primary does not poll, on a
 * port probed with mp_data_path=1 (failover_rx_burst_secondary() and
 * failover_tx_burst_secondary() in failover_rxtx.c): the hand-off is then
 * symmetric, so the primary's quiescence wait sees readers of every
 * process (membarrier() reaches only the primary's threads), and the
 * secondary calls its own burst functions of the sub-port a slot holds
 * (priv->fp[].port_id), not the primary's. On any other port the
 * secondary's bursts receive nothing and send nothing
 * (docs/design/multiprocess.rst).
 */

#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>

#include <ethdev_vdev.h>
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_memory.h>
#include <rte_string_fns.h>

#include "failover_mp.h"
#include "failover_private.h"

#define FO_MP_ACTION	"net_failover_mp"
/* How long a secondary waits for the primary's answer. */
#define FO_MP_TIMEOUT_S	5

enum fo_mp_op {
	FO_MP_STATS,
	FO_MP_XSTATS,
	FO_MP_XSTATS_NAMES,
	FO_MP_XSTATS_BY_ID,
	FO_MP_XSTATS_NAMES_BY_ID,
	FO_MP_LINK,
	FO_MP_DEV_INFO,
	FO_MP_INFO,
};

/*
 * A request. The buffer is in shared memory (rte_malloc() of the
 * secondary): ids first (in_len bytes), then room for the answer.
 */
struct fo_mp_req {
	uint32_t op;		/* enum fo_mp_op */
	uint16_t port_id;
	uint32_t n;		/* entries asked for (xstats), or 0 */
	uint64_t buf;		/* address of the shared buffer, or 0 */
	uint64_t in_len;	/* ids at the start of buf */
	uint64_t out_len;	/* room after them */
	char name[RTE_ETH_NAME_MAX_LEN];	/* the port's, against id reuse */
};

struct fo_mp_rep {
	int32_t ret;
};

/* rte_pmd_failover_info_get() across processes. */
struct fo_mp_info {
	struct rte_pmd_failover_info info;	/* info.state not valid */
	int32_t state;				/* enum failover_state */
};

static_assert(sizeof(struct fo_mp_req) <= RTE_MP_MAX_PARAM_LEN,
	"fo_mp_req too large for a multi-process message");

/* ----------------------------------------------------------------------
 * Primary: answering
 * ---------------------------------------------------------------------- */

struct fo_mp_job {
	struct fo_mp_req req;
	char peer[sizeof(((struct sockaddr_un *)0)->sun_path) + 1];
};

static int
fo_mp_answer(const struct fo_mp_req *req)
{
	struct rte_eth_dev *dev;
	struct fo_mp_info *mi;
	void *in, *out;

	if (!rte_eth_dev_is_valid_port(req->port_id))
		return -ENODEV;
	dev = &rte_eth_devices[req->port_id];
	/*
	 * Our ops are called by name below, never through dev->dev_ops,
	 * which a close on another thread may clear meanwhile: they find a
	 * closed port under its lock (failover_lock_dev()).
	 */
	if (dev->dev_ops != &failover_ops ||
	    strncmp(dev->data->name, req->name, sizeof(req->name)) != 0)
		return -ENODEV;
	in = (void *)(uintptr_t)req->buf;
	out = in == NULL ? NULL : RTE_PTR_ADD(in, req->in_len);
	/* Only ever write into DPDK's shared memory. */
	if (in != NULL && (req->in_len + req->out_len == 0 ||
	    rte_mem_virt2memseg_list(in) == NULL ||
	    rte_mem_virt2memseg_list(RTE_PTR_ADD(in,
			req->in_len + req->out_len - 1)) == NULL))
		return -EFAULT;
	switch (req->op) {
	case FO_MP_STATS: {
		struct failover_eth_stats *st = out;

		if (out == NULL || req->out_len < sizeof(*st))
			return -EINVAL;
		return failover_stats_get(dev, &st->basic,
			FAILOVER_QSTATS(st));
	}
	case FO_MP_XSTATS:
		if (req->out_len < (uint64_t)req->n *
				sizeof(struct rte_eth_xstat))
			return -EINVAL;
		return failover_xstats_get(dev, out, req->n);
	case FO_MP_XSTATS_NAMES:
		if (req->out_len < (uint64_t)req->n *
				sizeof(struct rte_eth_xstat_name))
			return -EINVAL;
		return failover_xstats_get_names(dev, out, req->n);
	case FO_MP_XSTATS_BY_ID:
		if (req->in_len < (uint64_t)req->n * sizeof(uint64_t) ||
		    req->out_len < (uint64_t)req->n * sizeof(uint64_t))
			return -EINVAL;
		return failover_xstats_get_by_id(dev, in, out, req->n);
	case FO_MP_XSTATS_NAMES_BY_ID:
		if (req->in_len < (uint64_t)req->n * sizeof(uint64_t) ||
		    req->out_len < (uint64_t)req->n *
				sizeof(struct rte_eth_xstat_name))
			return -EINVAL;
		return failover_xstats_get_names_by_id(dev, in, out, req->n);
	case FO_MP_LINK:
		/* Writes dev->data->dev_link, which the secondary reads. */
		return failover_ops.link_update(dev, 0);
	case FO_MP_DEV_INFO:
		if (out == NULL ||
		    req->out_len < sizeof(struct rte_eth_dev_info))
			return -EINVAL;
		return failover_ops.dev_infos_get(dev, out);
	case FO_MP_INFO:
		if (out == NULL || req->out_len < sizeof(*mi))
			return -EINVAL;
		mi = out;
		return failover_info_get_state(req->port_id, &mi->info,
			&mi->state);
	default:
		return -ENOTSUP;
	}
}

static void *
fo_mp_job_run(void *arg)
{
	struct fo_mp_job *job = arg;
	struct rte_mp_msg reply;
	struct fo_mp_rep rep;

	rep.ret = fo_mp_answer(&job->req);
	memset(&reply, 0, sizeof(reply));
	strlcpy(reply.name, FO_MP_ACTION, sizeof(reply.name));
	reply.len_param = sizeof(rep);
	memcpy(reply.param, &rep, sizeof(rep));
	if (rte_mp_reply(&reply, job->peer) < 0)
		FO_LOG(DEBUG, "cannot answer %s: %s", job->peer,
			rte_strerror(rte_errno));
	free(job);
	return NULL;
}

/* On the EAL multi-process thread: hand the request to a thread. */
static int
fo_mp_action(const struct rte_mp_msg *msg, const void *peer)
{
	struct fo_mp_job *job;
	pthread_attr_t attr;
	pthread_t tid;
	int ret;

	if (msg->len_param != sizeof(job->req)) {
		FO_LOG(ERR, "request of %d bytes from %s: not ours",
			msg->len_param, (const char *)peer);
		return -EINVAL;
	}
	job = calloc(1, sizeof(*job));
	if (job == NULL)
		return -ENOMEM;
	memcpy(&job->req, msg->param, sizeof(job->req));
	strlcpy(job->peer, peer, sizeof(job->peer));
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	ret = pthread_create(&tid, &attr, fo_mp_job_run, job);
	pthread_attr_destroy(&attr);
	if (ret != 0) {
		FO_LOG(ERR, "cannot start a thread to answer %s: %s",
			(const char *)peer, strerror(ret));
		free(job);
		return -ret;
	}
	return 0;
}

int
failover_mp_init_primary(void)
{
	static pthread_mutex_t once_lock = PTHREAD_MUTEX_INITIALIZER;
	static bool registered;
	int ret = 0;

	pthread_mutex_lock(&once_lock);
	if (!registered) {
		ret = rte_mp_action_register(FO_MP_ACTION, fo_mp_action);
		if (ret == 0 || rte_errno == EEXIST) {
			registered = true;
			ret = 0;
		} else if (rte_errno == ENOTSUP) {
			/* --in-memory, --no-shconf: there is no secondary. */
			ret = 0;
		} else {
			ret = -rte_errno;
			FO_LOG(ERR, "cannot register %s: %s", FO_MP_ACTION,
				rte_strerror(rte_errno));
		}
	}
	pthread_mutex_unlock(&once_lock);
	return ret;
}

/* ----------------------------------------------------------------------
 * Secondary: asking
 * ---------------------------------------------------------------------- */

/*
 * Run @p op on the primary's port. @p in (@p in_len bytes) is copied to
 * the shared buffer; the answer (@p out_len bytes) is copied to @p out.
 */
static int
fo_mp_ask(const struct rte_eth_dev *dev, enum fo_mp_op op, uint32_t n,
		const void *in, size_t in_len, void *out, size_t out_len)
{
	struct timespec ts = { .tv_sec = FO_MP_TIMEOUT_S, .tv_nsec = 0 };
	struct rte_mp_reply replies;
	struct fo_mp_req req;
	struct rte_mp_msg msg;
	struct fo_mp_rep rep;
	void *buf = NULL;
	int ret;

	memset(&req, 0, sizeof(req));
	req.op = op;
	req.port_id = dev->data->port_id;
	req.n = n;
	strlcpy(req.name, dev->data->name, sizeof(req.name));
	if (in_len + out_len != 0) {
		buf = rte_zmalloc("failover_mp", in_len + out_len, 0);
		if (buf == NULL)
			return -ENOMEM;
		if (in_len != 0)
			memcpy(buf, in, in_len);
		req.buf = (uint64_t)(uintptr_t)buf;
		req.in_len = in_len;
		req.out_len = out_len;
	}
	memset(&msg, 0, sizeof(msg));
	strlcpy(msg.name, FO_MP_ACTION, sizeof(msg.name));
	msg.len_param = sizeof(req);
	memcpy(msg.param, &req, sizeof(req));
	memset(&replies, 0, sizeof(replies));
	if (rte_mp_request_sync(&msg, &replies, &ts) < 0 ||
	    replies.nb_received != 1 ||
	    replies.msgs[0].len_param != sizeof(rep)) {
		FO_LOG(ERR, "port %u: no answer from the primary process",
			req.port_id);
		ret = -EIO;
		goto out;
	}
	memcpy(&rep, replies.msgs[0].param, sizeof(rep));
	ret = rep.ret;
	if (ret >= 0 && out_len != 0)
		memcpy(out, RTE_PTR_ADD(buf, in_len), out_len);
out:
	free(replies.msgs);
	rte_free(buf);
	return ret;
}

/* Basic and per-queue counters in one answer (apart from 25.11 on). */
static int
fo_sec_stats_impl(struct rte_eth_dev *dev, struct rte_eth_stats *stats,
		failover_qstats *qstats)
{
	struct failover_eth_stats st;
	int ret;

	memset(&st, 0, sizeof(st));
	ret = fo_mp_ask(dev, FO_MP_STATS, 0, NULL, 0, &st, sizeof(st));
	if (ret < 0)
		return ret;
	*stats = st.basic;
	if (qstats != NULL && (void *)qstats != (void *)stats)
		memcpy(qstats, FAILOVER_QSTATS(&st), sizeof(*qstats));
	return 0;
}

FAILOVER_STATS_GET_OP(fo_sec_stats_get, fo_sec_stats_impl)

static int
fo_sec_xstats_get(struct rte_eth_dev *dev, struct rte_eth_xstat *xstats,
		unsigned int n)
{
	if (xstats == NULL)
		n = 0;
	return fo_mp_ask(dev, FO_MP_XSTATS, n, NULL, 0, xstats,
		(size_t)n * sizeof(*xstats));
}

static int
fo_sec_xstats_get_names(struct rte_eth_dev *dev,
		struct rte_eth_xstat_name *names, unsigned int size)
{
	if (names == NULL)
		size = 0;
	return fo_mp_ask(dev, FO_MP_XSTATS_NAMES, size, NULL, 0, names,
		(size_t)size * sizeof(*names));
}

static int
fo_sec_xstats_get_by_id(struct rte_eth_dev *dev, const uint64_t *ids,
		uint64_t *values, unsigned int n)
{
	if (ids == NULL || values == NULL)
		return -EINVAL;
	return fo_mp_ask(dev, FO_MP_XSTATS_BY_ID, n, ids,
		(size_t)n * sizeof(*ids), values, (size_t)n * sizeof(*values));
}

static int
fo_sec_xstats_get_names_by_id(struct rte_eth_dev *dev, const uint64_t *ids,
		struct rte_eth_xstat_name *names, unsigned int size)
{
	if (ids == NULL || names == NULL)
		return -EINVAL;
	return fo_mp_ask(dev, FO_MP_XSTATS_NAMES_BY_ID, size, ids,
		(size_t)size * sizeof(*ids), names,
		(size_t)size * sizeof(*names));
}

static int
fo_sec_link_update(struct rte_eth_dev *dev, int wait_to_complete)
{
	RTE_SET_USED(wait_to_complete);
	return fo_mp_ask(dev, FO_MP_LINK, 0, NULL, 0, NULL, 0);
}

static int
fo_sec_dev_infos_get(struct rte_eth_dev *dev, struct rte_eth_dev_info *info)
{
	struct rte_eth_dev_info answer;
	int ret;

	ret = fo_mp_ask(dev, FO_MP_DEV_INFO, 0, NULL, 0, &answer,
		sizeof(answer));
	if (ret < 0)
		return ret;
	/*
	 * Pointers of the primary mean nothing here: ethdev sets device,
	 * driver_name and dev_flags after this op; the rest are cleared.
	 */
	answer.device = info->device;
	answer.driver_name = info->driver_name;
	answer.dev_flags = info->dev_flags;
	answer.switch_info.name = NULL;
	*info = answer;
	return 0;
}

int
failover_mp_info_get(uint16_t port_id, struct rte_pmd_failover_info *info)
{
	struct fo_mp_info mi;
	int ret;

	ret = fo_mp_ask(&rte_eth_devices[port_id], FO_MP_INFO, 0, NULL, 0,
		&mi, sizeof(mi));
	if (ret < 0)
		return ret;
	*info = mi.info;
	/* A string of this process, not the primary's pointer. */
	info->state = failover_state_name(mi.state);
	return 0;
}

int
failover_mp_primary_only(uint16_t port_id, const char *what)
{
	FO_LOG(ERR, "port %u: %s: primary process only", port_id, what);
	return -E_RTE_SECONDARY;
}

static int
fo_sec_refuse(struct rte_eth_dev *dev, const char *what)
{
	return failover_mp_primary_only(dev->data->port_id, what);
}

static int
fo_sec_configure(struct rte_eth_dev *dev)
{
	return fo_sec_refuse(dev, "configure");
}

static int
fo_sec_start(struct rte_eth_dev *dev)
{
	return fo_sec_refuse(dev, "start");
}

static int
fo_sec_stop(struct rte_eth_dev *dev)
{
	return fo_sec_refuse(dev, "stop");
}

/*
 * ethdev closes the port in a secondary to release that process's
 * resources (dpdk-proc-info closes every port on exit): we hold none.
 */
static int
fo_sec_close(struct rte_eth_dev *dev)
{
	RTE_SET_USED(dev);
	return 0;
}

static int
fo_sec_rx_queue_setup(struct rte_eth_dev *dev, uint16_t qid, uint16_t nb,
		unsigned int socket, const struct rte_eth_rxconf *conf,
		struct rte_mempool *mp)
{
	RTE_SET_USED(qid);
	RTE_SET_USED(nb);
	RTE_SET_USED(socket);
	RTE_SET_USED(conf);
	RTE_SET_USED(mp);
	return fo_sec_refuse(dev, "Rx queue set-up");
}

static int
fo_sec_tx_queue_setup(struct rte_eth_dev *dev, uint16_t qid, uint16_t nb,
		unsigned int socket, const struct rte_eth_txconf *conf)
{
	RTE_SET_USED(qid);
	RTE_SET_USED(nb);
	RTE_SET_USED(socket);
	RTE_SET_USED(conf);
	return fo_sec_refuse(dev, "Tx queue set-up");
}

static int
fo_sec_promiscuous_enable(struct rte_eth_dev *dev)
{
	return fo_sec_refuse(dev, "promiscuous enable");
}

static int
fo_sec_promiscuous_disable(struct rte_eth_dev *dev)
{
	return fo_sec_refuse(dev, "promiscuous disable");
}

static int
fo_sec_allmulticast_enable(struct rte_eth_dev *dev)
{
	return fo_sec_refuse(dev, "all-multicast enable");
}

static int
fo_sec_allmulticast_disable(struct rte_eth_dev *dev)
{
	return fo_sec_refuse(dev, "all-multicast disable");
}

static int
fo_sec_mtu_set(struct rte_eth_dev *dev, uint16_t mtu)
{
	RTE_SET_USED(mtu);
	return fo_sec_refuse(dev, "MTU set");
}

static int
fo_sec_mac_addr_set(struct rte_eth_dev *dev, struct rte_ether_addr *mac)
{
	RTE_SET_USED(mac);
	return fo_sec_refuse(dev, "MAC address set");
}

static int
fo_sec_mac_addr_add(struct rte_eth_dev *dev, struct rte_ether_addr *mac,
		uint32_t index, uint32_t pool)
{
	RTE_SET_USED(mac);
	RTE_SET_USED(index);
	RTE_SET_USED(pool);
	return fo_sec_refuse(dev, "MAC address add");
}

static void
fo_sec_mac_addr_remove(struct rte_eth_dev *dev, uint32_t index)
{
	RTE_SET_USED(index);
	fo_sec_refuse(dev, "MAC address remove");
}

static int
fo_sec_set_mc_addr_list(struct rte_eth_dev *dev, struct rte_ether_addr *list,
		uint32_t nb)
{
	RTE_SET_USED(list);
	RTE_SET_USED(nb);
	return fo_sec_refuse(dev, "multicast address list");
}

static int
fo_sec_vlan_filter_set(struct rte_eth_dev *dev, uint16_t vlan_id, int on)
{
	RTE_SET_USED(vlan_id);
	RTE_SET_USED(on);
	return fo_sec_refuse(dev, "VLAN filter");
}

static int
fo_sec_vlan_offload_set(struct rte_eth_dev *dev, int mask)
{
	RTE_SET_USED(mask);
	return fo_sec_refuse(dev, "VLAN offload");
}

static int
fo_sec_rss_hash_update(struct rte_eth_dev *dev, struct rte_eth_rss_conf *rss)
{
	RTE_SET_USED(rss);
	return fo_sec_refuse(dev, "RSS hash update");
}

static int
fo_sec_rss_hash_conf_get(struct rte_eth_dev *dev,
		struct rte_eth_rss_conf *rss)
{
	RTE_SET_USED(rss);
	return fo_sec_refuse(dev, "RSS hash query");
}

static int
fo_sec_reta_update(struct rte_eth_dev *dev,
		struct rte_eth_rss_reta_entry64 *conf, uint16_t size)
{
	RTE_SET_USED(conf);
	RTE_SET_USED(size);
	return fo_sec_refuse(dev, "RETA update");
}

static int
fo_sec_reta_query(struct rte_eth_dev *dev,
		struct rte_eth_rss_reta_entry64 *conf, uint16_t size)
{
	RTE_SET_USED(conf);
	RTE_SET_USED(size);
	return fo_sec_refuse(dev, "RETA query");
}

static int
fo_sec_set_link_up(struct rte_eth_dev *dev)
{
	return fo_sec_refuse(dev, "link up");
}

static int
fo_sec_set_link_down(struct rte_eth_dev *dev)
{
	return fo_sec_refuse(dev, "link down");
}

static int
fo_sec_flow_ctrl_get(struct rte_eth_dev *dev, struct rte_eth_fc_conf *fc)
{
	RTE_SET_USED(fc);
	return fo_sec_refuse(dev, "flow control query");
}

static int
fo_sec_flow_ctrl_set(struct rte_eth_dev *dev, struct rte_eth_fc_conf *fc)
{
	RTE_SET_USED(fc);
	return fo_sec_refuse(dev, "flow control set");
}

static int
fo_sec_flow_ops_get(struct rte_eth_dev *dev, const struct rte_flow_ops **ops)
{
	RTE_SET_USED(ops);
	return fo_sec_refuse(dev, "rte_flow");
}

static int
fo_sec_reset(struct rte_eth_dev *dev)
{
	return fo_sec_refuse(dev, "reset");
}

static int
fo_sec_stats_reset(struct rte_eth_dev *dev)
{
	return fo_sec_refuse(dev, "statistics reset");
}

const struct eth_dev_ops failover_secondary_ops = {
	.dev_configure = fo_sec_configure,
	.dev_infos_get = fo_sec_dev_infos_get,
	.dev_start = fo_sec_start,
	.dev_stop = fo_sec_stop,
	.dev_close = fo_sec_close,
	.dev_reset = fo_sec_reset,
	.link_update = fo_sec_link_update,
	.rx_queue_setup = fo_sec_rx_queue_setup,
	.tx_queue_setup = fo_sec_tx_queue_setup,
	.promiscuous_enable = fo_sec_promiscuous_enable,
	.promiscuous_disable = fo_sec_promiscuous_disable,
	.allmulticast_enable = fo_sec_allmulticast_enable,
	.allmulticast_disable = fo_sec_allmulticast_disable,
	.mtu_set = fo_sec_mtu_set,
	.mac_addr_set = fo_sec_mac_addr_set,
	.mac_addr_add = fo_sec_mac_addr_add,
	.mac_addr_remove = fo_sec_mac_addr_remove,
	.set_mc_addr_list = fo_sec_set_mc_addr_list,
	.vlan_filter_set = fo_sec_vlan_filter_set,
	.vlan_offload_set = fo_sec_vlan_offload_set,
	.rss_hash_update = fo_sec_rss_hash_update,
	.rss_hash_conf_get = fo_sec_rss_hash_conf_get,
	.reta_update = fo_sec_reta_update,
	.reta_query = fo_sec_reta_query,
	.dev_set_link_up = fo_sec_set_link_up,
	.dev_set_link_down = fo_sec_set_link_down,
	.flow_ctrl_get = fo_sec_flow_ctrl_get,
	.flow_ctrl_set = fo_sec_flow_ctrl_set,
	.flow_ops_get = fo_sec_flow_ops_get,
	.stats_get = fo_sec_stats_get,
	.stats_reset = fo_sec_stats_reset,
	.xstats_get = fo_sec_xstats_get,
	.xstats_get_names = fo_sec_xstats_get_names,
	.xstats_get_by_id = fo_sec_xstats_get_by_id,
	.xstats_get_names_by_id = fo_sec_xstats_get_names_by_id,
	.xstats_reset = fo_sec_stats_reset,
};

bool
failover_is_port(const struct rte_eth_dev *dev)
{
	return dev->dev_ops == &failover_ops ||
		dev->dev_ops == &failover_secondary_ops;
}

int
failover_secondary_probe(struct rte_vdev_device *vdev)
{
	const char *name = rte_vdev_device_name(vdev);
	struct rte_eth_dev *dev;

	dev = rte_eth_dev_attach_secondary(name);
	if (dev == NULL) {
		FO_LOG(ERR, "%s: not found in the primary process", name);
		return -ENODEV;
	}
	dev->device = &vdev->device;
	dev->dev_ops = &failover_secondary_ops;
	dev->rx_pkt_burst = failover_rx_burst_secondary;
	dev->tx_pkt_burst = failover_tx_burst_secondary;
	rte_eth_dev_probing_finish(dev);
	FO_LOG(INFO, "%s: port %u attached in a secondary process (%s)",
		name, dev->data->port_id,
		failover_priv(dev)->handoff.asymmetric ?
		"control-plane reads only: no mp_data_path" :
		"control-plane reads and data path");
	return 0;
}

int
failover_secondary_remove(struct rte_vdev_device *vdev)
{
	struct rte_eth_dev *dev;

	dev = rte_eth_dev_allocated(rte_vdev_device_name(vdev));
	if (dev == NULL)
		return 0;
	/* The port is the primary's: release this process's view only. */
	return rte_eth_dev_release_port(dev);
}
