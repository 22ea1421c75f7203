// SPDX-License-Identifier: GPL-2.0
#include "jobs.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <queue>
#include <random>
#include <sstream>
#include <vector>

#include "hpmm/error.hpp"

namespace hpmm::defrag {

namespace {

constexpr double never = std::numeric_limits<double>::infinity();
constexpr unsigned no_job = ~0u;

struct Death {
	double time;
	std::uint32_t handle;
	bool operator>(const Death &o) const { return time > o.time; }
};

struct Live {
	Event ev;
	unsigned job = no_job; // the job it dies with, if any
	bool dead = false;
};

class JobsGen {
public:
	explicit JobsGen(const JobsParams &p)
		: p_(p), rng_(p.seed), jobs_(std::max(p.jobs, 1u))
	{
	}

	Trace run();

private:
	double uni() { return std::uniform_real_distribution<double>(0, 1)(rng_); }
	double expo(double mean)
	{
		return std::exponential_distribution<double>(1.0 / mean)(rng_);
	}
	double pareto(double scale)
	{
		return scale / std::pow(1.0 - uni(), 1.0 / p_.alpha);
	}
	unsigned small_order()
	{
		double y = uni();
		return y < 0.8 ? 0 : y < 0.9 ? 1 : y < 0.95 ? 2 : 3;
	}
	std::uint32_t alloc(Mobility m, unsigned order, std::uint8_t site,
			    double death, unsigned job);
	void free(std::uint32_t h);
	void end_job(unsigned slot);
	void start_job(unsigned slot);

	const JobsParams &p_;
	std::mt19937_64 rng_;
	Trace trace_;
	std::vector<Live> live_;
	std::vector<std::uint32_t> free_handles_;
	std::priority_queue<Death, std::vector<Death>, std::greater<>> deaths_;
	std::deque<std::uint32_t> page_cache_; // oldest first
	struct Job {
		unsigned id = 0;
		double end = 0;
		std::vector<std::uint32_t> mem;
	};
	std::vector<Job> jobs_;
	unsigned next_job_ = 0;
	std::uint64_t live_pages_ = 0;
	double now_ = 0;
};

std::uint32_t JobsGen::alloc(Mobility m, unsigned order, std::uint8_t site,
			     double death, unsigned job)
{
	Event ev;
	ev.mobility = m;
	ev.order = static_cast<std::uint8_t>(order);
	ev.site = site;
	std::uint32_t h;
	if (!free_handles_.empty()) {
		h = free_handles_.back();
		free_handles_.pop_back();
	} else {
		h = static_cast<std::uint32_t>(live_.size());
		if (h > max_handle)
			throw Error(ErrorKind::operation,
				    "trace needs more than 2^22 handles");
		live_.emplace_back();
	}
	ev.handle = h;
	live_[h] = Live{ev, job, false};
	if (death != never)
		deaths_.push({death, h});
	live_pages_ += std::uint64_t{1} << order;
	trace_.events.push_back(ev);
	return h;
}

void JobsGen::free(std::uint32_t h)
{
	Live &l = live_[h];
	if (l.dead)
		return;
	l.dead = true;
	Event ev = l.ev;
	ev.alloc = false;
	live_pages_ -= std::uint64_t{1} << ev.order;
	trace_.events.push_back(ev);
	free_handles_.push_back(h);
}

// The job's memory dies now, but for what outlives it.
void JobsGen::end_job(unsigned slot)
{
	Job &j = jobs_[slot];
	for (std::uint32_t h : j.mem) {
		Live &l = live_[h];
		if (l.dead || l.job != j.id)
			continue;
		l.job = no_job;
		double survive = l.ev.site >= site_vfs_cache &&
						 l.ev.site < site_slab ?
					 p_.vfs_survive :
				 l.ev.site >= site_job_kernel &&
						 l.ev.site < site_vfs_cache ?
					 p_.job_survive :
					 0;
		double life = uni() < survive ? pareto(p_.survivor_scale) : 0;
		deaths_.push({now_ + life, h});
	}
	j.mem.clear();
}

void JobsGen::start_job(unsigned slot)
{
	jobs_[slot].id = next_job_++;
	jobs_[slot].end = now_ + expo(p_.job_mean);
}

Trace JobsGen::run()
{
	std::ostringstream hdr;
	hdr << "# hpmm defrag trace v1 (jobs): seed=" << p_.seed
	    << " events=" << p_.events << " live_pages=" << p_.live_pages
	    << " boot=" << p_.boot << " jobs=" << p_.jobs
	    << " job_mean=" << p_.job_mean << " job_survive=" << p_.job_survive
	    << " vfs_survive=" << p_.vfs_survive << " alpha=" << p_.alpha
	    << " slab_scale=" << p_.slab_scale
	    << " survivor_scale=" << p_.survivor_scale
	    << " skb_mean=" << p_.skb_mean << " anon=" << p_.anon
	    << " job_kernel=" << p_.job_kernel << " vfs=" << p_.vfs
	    << " slab=" << p_.slab << " skb=" << p_.skb << " thp=" << p_.thp
	    << " end_free=" << p_.end_free;
	trace_.comments.push_back(hdr.str());

	// Boot: kernel memory that never goes away.
	auto boot = static_cast<std::uint64_t>(
		static_cast<double>(p_.live_pages) * p_.boot);
	while (live_pages_ < boot)
		alloc(Mobility::unmovable, small_order(), site_boot, never,
		      no_job);
	for (unsigned s = 0; s < jobs_.size(); s++)
		start_job(s);

	for (std::size_t t = 0; t < p_.events; t++) {
		now_ = static_cast<double>(t);
		for (unsigned s = 0; s < jobs_.size(); s++) {
			if (jobs_[s].end <= now_) {
				end_job(s);
				start_job(s);
			}
		}
		// What has died is freed, one an event.
		while (!deaths_.empty() && live_[deaths_.top().handle].dead)
			deaths_.pop();
		if (!deaths_.empty() && deaths_.top().time <= now_) {
			std::uint32_t h = deaths_.top().handle;
			deaths_.pop();
			free(h);
			continue;
		}
		// Memory is full: reclaim the oldest page cache.
		if (live_pages_ >= p_.live_pages) {
			while (!page_cache_.empty() &&
			       live_[page_cache_.front()].dead)
				page_cache_.pop_front();
			if (!page_cache_.empty()) {
				free(page_cache_.front());
				page_cache_.pop_front();
				continue;
			}
			if (!deaths_.empty()) {
				std::uint32_t h = deaths_.top().handle;
				deaths_.pop();
				free(h);
				continue;
			}
		}
		unsigned slot = static_cast<unsigned>(uni() * jobs_.size());
		slot = std::min(slot, static_cast<unsigned>(jobs_.size() - 1));
		Job &j = jobs_[slot];
		double x = uni();
		double c = p_.anon;
		if (x < p_.thp) {
			j.mem.push_back(alloc(Mobility::movable, 9, site_thp,
					      never, j.id));
		} else if (x < (c += p_.thp)) {
			j.mem.push_back(alloc(Mobility::movable, 0, site_anon,
					      never, j.id));
		} else if (x < (c += p_.job_kernel)) {
			auto site = static_cast<std::uint8_t>(
				site_job_kernel +
				std::min(5u, static_cast<unsigned>(uni() * 6)));
			j.mem.push_back(alloc(Mobility::unmovable,
					      small_order(), site, never,
					      j.id));
		} else if (x < (c += p_.vfs)) {
			auto site = static_cast<std::uint8_t>(
				site_vfs_cache + unsigned{uni() < 0.5});
			j.mem.push_back(alloc(Mobility::reclaimable,
					      uni() < 0.9 ? 0 : 1, site, never,
					      j.id));
		} else if (x < (c += p_.slab)) {
			unsigned order = small_order();
			alloc(Mobility::unmovable, order,
			      static_cast<std::uint8_t>(site_slab + order),
			      now_ + pareto(p_.slab_scale * (order + 1)),
			      no_job);
		} else if (x < (c += p_.skb)) {
			alloc(Mobility::unmovable, small_order(), site_skb,
			      now_ + expo(p_.skb_mean), no_job);
		} else {
			page_cache_.push_back(alloc(Mobility::movable, 0,
						    site_page_cache, never,
						    no_job));
		}
	}

	// Wind-down: every job ends, what has died (skbs, job memory) is
	// freed, then the oldest page cache; what outlives stays.
	now_ = static_cast<double>(p_.events);
	for (unsigned s = 0; s < jobs_.size(); s++)
		end_job(s);
	while (!deaths_.empty() && deaths_.top().time <= now_ + 1000) {
		std::uint32_t h = deaths_.top().handle;
		deaths_.pop();
		free(h);
	}
	std::uint64_t cache = 0;
	for (std::uint32_t h : page_cache_)
		cache += !live_[h].dead;
	auto to_free = static_cast<std::uint64_t>(
		static_cast<double>(cache) * std::clamp(p_.end_free, 0.0, 1.0));
	for (std::uint32_t h : page_cache_) {
		if (!to_free)
			break;
		if (!live_[h].dead) {
			free(h);
			to_free--;
		}
	}
	return std::move(trace_);
}

} // namespace

Trace generate_jobs(const JobsParams &params)
{
	return JobsGen(params).run();
}

} // namespace hpmm::defrag
