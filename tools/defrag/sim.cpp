// SPDX-License-Identifier: GPL-2.0
#include "sim.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace hpmm::defrag {

namespace {

constexpr unsigned mt_of(Mobility m)
{
	return static_cast<unsigned>(m);
}

// Keys of different groups and handles never meet.
constexpr u32 key_space = 1u << 22;

} // namespace

Sim::Sim(dfg_policy policy, unsigned groups) : policy_(policy)
{
	for (unsigned g = 0; g < std::max(groups, 1u); g++) {
		groups_.push_back(std::make_unique<dfg_gcore>());
		dfg_core_init(groups_.back().get(), policy);
		pcp_.emplace_back(DFG_NR_MT);
	}
}

void Sim::drain_pcp(unsigned g, unsigned mt, std::size_t n)
{
	std::vector<Where> &c = pcp_[g][mt];
	n = std::min(n, c.size());
	bool emptied = false;
	for (std::size_t i = 0; i < n; i++) {
		u32 *pinfo = nullptr;
		int ret = dfg_core_free(groups_[g].get(), c[i].blk, c[i].idx, 0,
					dfg_pi_pcp(mt), &pinfo);
		if (ret < 0)
			throw std::logic_error("core refused a cache drain");
		if (ret == DFG_FREED_EMPTY) {
			release_pinfo(pinfo);
			emptied = true;
		}
	}
	c.erase(c.begin(), c.begin() + static_cast<std::ptrdiff_t>(n));
	if (emptied)
		give_back(g);
}

void Sim::drain()
{
	for (unsigned g = 0; g < groups_.size(); g++)
		for (unsigned mt = 0; mt < DFG_NR_MT; mt++)
			drain_pcp(g, mt, pcp_[g][mt].size());
}

Sim::~Sim() = default;

u32 Sim::key_of(const Event &ev)
{
	return ev.group * key_space + ev.handle;
}

dfg_block *Sim::new_block()
{
	if (!pool_.empty()) {
		dfg_block *blk = pool_.back();
		pool_.pop_back();
		return blk;
	}
	auto blk = std::make_unique<dfg_block>();
	dfg_block_init(blk.get(), blocks_.size() * DFG_BLOCK_PAGES);
	blocks_.push_back(std::move(blk));
	return blocks_.back().get();
}

void Sim::release_pinfo(u32 *pinfo)
{
	if (pinfo)
		pinfo_.erase(pinfo);
}

void Sim::give_back(unsigned g)
{
	while (dfg_block *blk = dfg_core_trim(groups_[g].get(), false))
		pool_.push_back(blk);
}

int Sim::retry(unsigned g, dfg_alloc_req &req)
{
	dfg_gcore *core = groups_[g].get();
	unsigned evictions = 0;

	for (;;) {
		switch (dfg_core_alloc(core, &req)) {
		case DFG_OK:
			return 0;
		case DFG_NEED_PINFO: {
			auto arr = std::make_unique<u32[]>(DFG_BLOCK_PAGES);
			core->spare_pinfo = arr.get();
			pinfo_.emplace(arr.get(), std::move(arr));
			break;
		}
		case DFG_NEED_BLOCK:
			dfg_core_add_block(core, new_block());
			break;
		case DFG_NEED_EVICT:
			if (evictions++ >= 2)
				req.flags |= DFG_AF_NOEVICT;
			else
				evict(g, req.blk, req.idx, req.order);
			break;
		case DFG_NEED_COMPACT:
			compact(g, 1);
			req.flags |= DFG_AF_NOCOMPACT;
			break;
		default:
			return -1;
		}
	}
}

bool Sim::alloc(const Event &ev)
{
	unsigned g = ev.group;
	if (g >= groups_.size())
		throw std::out_of_range("trace group beyond the simulator's");
	dfg_alloc_req req{};
	req.mt = static_cast<u8>(mt_of(ev.mobility));
	req.order = ev.order;
	bool keyed = ev.mobility == Mobility::movable && ev.order == 0;
	req.head = keyed ? key_of(ev) : dfg_pi_khead(req.mt, req.order);
	if (!keyed && !ev.order) {
		// The per-CPU cache, refilled in bulk from room the group has.
		std::vector<Where> &c = pcp_[g][req.mt];
		if (c.empty()) {
			dfg_block *blks[pcp_batch];
			unsigned idxs[pcp_batch];
			unsigned n = dfg_core_alloc_bulk(groups_[g].get(), req.mt, -1,
							 pcp_batch, blks, idxs);
			for (unsigned i = 0; i < n; i++)
				c.push_back(Where{blks[i], idxs[i], 0});
		}
		if (!c.empty()) {
			Where w = c.back();
			c.pop_back();
			w.blk->pinfo[w.idx] = req.head;
			held_[ev.handle + g * key_space] = w;
			return true;
		}
	}
	if (retry(g, req))
		return false;
	Where w{req.blk, req.idx, ev.order};
	if (keyed)
		keyed_[key_of(ev)] = w;
	else
		held_[ev.handle + g * key_space] = w;
	return true;
}

void Sim::free(const Event &ev)
{
	unsigned g = ev.group;
	bool keyed = ev.mobility == Mobility::movable && ev.order == 0;
	auto &map = keyed ? keyed_ : held_;
	u32 k = keyed ? key_of(ev) : ev.handle + g * key_space;
	auto it = map.find(k);
	if (it == map.end())
		return; // its allocation failed
	Where w = it->second;
	map.erase(it);
	if (!keyed && !w.order) {
		unsigned mt = mt_of(ev.mobility);
		std::vector<Where> &c = pcp_[g][mt];
		if (w.blk->pinfo[w.idx] != dfg_pi_khead(mt, 0))
			throw std::logic_error("cache free of a page not held");
		w.blk->pinfo[w.idx] = dfg_pi_pcp(mt);
		if (c.size() == pcp_high)
			drain_pcp(g, mt, pcp_batch);
		c.push_back(w);
		return;
	}
	u32 *pinfo = nullptr;
	int ret;
	if (w.order == DFG_MAX_ORDER)
		ret = dfg_core_free_huge(groups_[g].get(), w.blk);
	else if (keyed)
		ret = dfg_core_free(groups_[g].get(), w.blk, w.idx, 0, k,
				    &pinfo);
	else
		ret = dfg_core_free_any(groups_[g].get(), w.blk, w.idx,
					w.order, &pinfo);
	if (ret < 0)
		throw std::logic_error("core refused a free: " +
				       std::to_string(ret));
	if (ret == DFG_FREED_EMPTY) {
		release_pinfo(pinfo);
		give_back(g);
	}
}

int Sim::move(unsigned g, dfg_block *blk, unsigned idx, u8 mode)
{
	if (blk->state != DFG_BS_SPLIT || !dfg_pi_is_key(blk->pinfo[idx]))
		return -1;
	u32 key = blk->pinfo[idx];
	dfg_alloc_req req{};
	req.mt = DFG_MT_MOVABLE;
	req.head = key;
	req.mode = mode;
	req.flags = DFG_AF_NOEVICT | DFG_AF_NOCOMPACT;
	if (retry(g, req))
		return -1;
	u32 *pinfo = nullptr;
	int ret = dfg_core_free(groups_[g].get(), blk, idx, 0, key, &pinfo);
	if (ret < 0)
		throw std::logic_error("core refused a move's free");
	keyed_[key] = Where{req.blk, req.idx, 0};
	if (ret == DFG_FREED_EMPTY)
		release_pinfo(pinfo);
	return ret;
}

void Sim::evict(unsigned g, dfg_block *blk, unsigned idx, unsigned order)
{
	for (unsigned i = idx; i < idx + (1u << order); i++)
		if (blk->state == DFG_BS_SPLIT &&
		    dfg_pi_is_key(blk->pinfo[i]) &&
		    move(g, blk, i, DFG_AM_EVICT) >= 0)
			moves_.evicted++;
}

unsigned Sim::compact(unsigned g, unsigned want)
{
	dfg_gcore *core = groups_[g].get();
	for (unsigned mt = 0; mt < DFG_NR_MT; mt++)
		drain_pcp(g, mt, pcp_[g][mt].size());
	std::vector<dfg_block *> src(core->nr_split);
	u64 planned = 0;
	unsigned k = dfg_core_compact_plan(core, want, src.data(), src.size(),
					   &planned);
	std::vector<unsigned> used;
	for (unsigned i = 0; i < k; i++)
		used.push_back(dfg_block_used(src[i]));
	unsigned recovered = 0;
	for (unsigned i = 0; i < k; i++) {
		for (unsigned idx = 0; idx < DFG_BLOCK_PAGES; idx++) {
			if (src[i]->state != DFG_BS_SPLIT ||
			    !dfg_pi_is_key(src[i]->pinfo[idx]))
				continue;
			int ret = move(g, src[i], idx, DFG_AM_COMPACT);
			if (ret < 0)
				break;
			moves_.moved++;
			if (ret == DFG_FREED_EMPTY)
				recovered++;
		}
	}
	for (unsigned i = 0; i < k; i++)
		dfg_core_compact_release(core, src[i]);
	moves_.recovered += recovered;
	for (unsigned i = 0; i < recovered; i++)
		moves_.min_moves += used[i];
	return recovered;
}

unsigned Sim::take_huge(unsigned g, std::uint64_t *min_moves)
{
	dfg_gcore *core = groups_[g].get();
	// The fewest moves: the live pages of the sparsest movable blocks,
	// as they are before the first 2 MiB allocation.
	std::vector<unsigned> used;
	dfg_core_walk(
		core,
		[](const dfg_block *blk, void *arg) {
			if (blk->state == DFG_BS_SPLIT && dfg_block_evacuable(blk))
				static_cast<std::vector<unsigned> *>(arg)
					->push_back(dfg_block_used(blk));
		},
		&used);
	std::sort(used.begin(), used.end());
	std::uint64_t rec0 = moves_.recovered;

	core->limit = core->nr_blocks;
	unsigned n = 0;
	for (;;) {
		dfg_alloc_req req{};
		req.mt = DFG_MT_MOVABLE;
		req.order = DFG_MAX_ORDER;
		req.head = dfg_pi_khead(DFG_MT_MOVABLE, DFG_MAX_ORDER);
		if (retry(g, req))
			break;
		huge_.push_back(Where{req.blk, 0, DFG_MAX_ORDER});
		n++;
	}
	if (min_moves)
		for (std::uint64_t i = 0;
		     i < moves_.recovered - rec0 && i < used.size(); i++)
			*min_moves += used[i];
	return n;
}

dfg_summary Sim::summary(unsigned g) const
{
	dfg_summary s{};
	dfg_core_summarize(groups_.at(g).get(), &s);
	return s;
}

std::string Sim::map(unsigned g) const
{
	std::vector<const dfg_block *> v;
	dfg_core_walk(
		groups_.at(g).get(),
		[](const dfg_block *blk, void *arg) {
			static_cast<std::vector<const dfg_block *> *>(arg)
				->push_back(blk);
		},
		&v);
	std::sort(v.begin(), v.end(),
		  [](const dfg_block *a, const dfg_block *b) {
			  return a->pfn < b->pfn;
		  });
	std::string s;
	for (const dfg_block *blk : v)
		s += dfg_block_char(blk);
	return s;
}

std::vector<unsigned> replay_limits(const Trace &trace, unsigned headroom_pct)
{
	std::vector<std::uint64_t> live(max_groups), peak(max_groups);
	for (const Event &ev : trace.events) {
		std::uint64_t n = std::uint64_t{1} << ev.order;
		if (ev.alloc) {
			live[ev.group] += n;
			peak[ev.group] = std::max(peak[ev.group], live[ev.group]);
		} else {
			live[ev.group] -= n;
		}
	}
	std::vector<unsigned> limits;
	for (std::uint64_t p : peak) {
		std::uint64_t pages = p + p * headroom_pct / 100;
		limits.push_back(static_cast<unsigned>(
			(pages + DFG_BLOCK_PAGES - 1) / DFG_BLOCK_PAGES));
	}
	return limits;
}

namespace {

// Unmovable pollution over several groups: the blocks holding unmovable
// pages over the fewest that could hold them (1000 when there are none).
struct Pollution {
	std::uint64_t holding = 0;
	std::uint64_t fewest = 0;

	void add(const dfg_summary &s)
	{
		holding += s.holding[DFG_MT_UNMOVABLE];
		fewest += (s.used[DFG_MT_UNMOVABLE] + DFG_BLOCK_PAGES - 1) /
			  DFG_BLOCK_PAGES;
	}
	std::uint64_t milli() const
	{
		return fewest ? holding * 1000 / fewest : 1000;
	}
};

} // namespace

SimResult simulate(const Trace &trace, dfg_policy policy,
		   unsigned headroom_pct)
{
	TraceStats ts = trace_stats(trace);
	Sim sim(policy, std::max(ts.groups, 1u));
	SimResult r;
	if (headroom_pct) {
		std::vector<unsigned> lim = replay_limits(trace, headroom_pct);
		for (unsigned g = 0; g < std::max(ts.groups, 1u); g++)
			sim.set_limit(g, std::max(lim[g], 1u));
	}
	std::uint64_t samples = 0, sum = 0, t = 0;
	for (const Event &ev : trace.events) {
		if (ev.alloc) {
			if (!sim.alloc(ev))
				r.failures++;
		} else {
			sim.free(ev);
		}
		if (++t % 4096)
			continue;
		Pollution now;
		for (unsigned g = 0; g < std::max(ts.groups, 1u); g++)
			now.add(sim.summary(g));
		if (now.fewest) {
			sum += now.milli();
			samples++;
		}
	}
	r.mean_pollution_milli = samples ? sum / samples : 1000;
	sim.drain();
	Pollution end;
	for (unsigned g = 0; g < std::max(ts.groups, 1u); g++) {
		dfg_summary s = sim.summary(g);
		end.add(s);
		r.blocks += s.blocks;
		r.free_pages += s.free_pages;
		r.order9_possible += s.free_pages / DFG_BLOCK_PAGES;
	}
	r.holding_unmovable = end.holding;
	r.fewest_unmovable = end.fewest;
	r.pollution_milli = end.milli();
	SimMoves before = sim.moves();
	for (unsigned g = 0; g < std::max(ts.groups, 1u); g++)
		r.order9_success += sim.take_huge(g, &r.moves.min_moves);
	r.moves.moved = sim.moves().moved - before.moved;
	r.moves.recovered = sim.moves().recovered - before.recovered;
	r.moves.evicted = sim.moves().evicted;
	return r;
}

} // namespace hpmm::defrag
