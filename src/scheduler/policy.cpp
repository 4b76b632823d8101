#include "smsgw/scheduler/policy.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace smsgw::scheduler {
namespace {

// Why a SIM cannot take a message now, in the order the checks run.
enum class Blocker { none, not_ready, paused, never, benched, busy, rate_limited, day_limit };
constexpr std::size_t kBlockerCount = 8;

struct SimCheck {
  Blocker blocker = Blocker::none;
  std::optional<TimePoint> at;  // when the blocker ends by the clock alone
};

SimCheck check(const SimView& sim, std::uint32_t parts, TimePoint now,
               std::string_view recipient = {}) {
  if (!sim.ready) return {Blocker::not_ready, std::nullopt};
  if (sim.paused) return {Blocker::paused, std::nullopt};
  TimePoint limit_at = now;
  if (sim.limiter != nullptr) {
    const auto earliest = sim.limiter->earliest(now, parts, recipient);
    if (!earliest) return {Blocker::never, std::nullopt};
    limit_at = *earliest;
  }
  if (sim.benched_until > now) return {Blocker::benched, std::max(sim.benched_until, limit_at)};
  if (sim.busy) return {Blocker::busy, std::nullopt};
  if (limit_at > now) {
    // A wait until a local midnight (or later) is a daily or monthly limit, not the rate.
    const bool day_full = limit_at >= sim.limiter->calendar().next_day_start(now);
    return {day_full ? Blocker::day_limit : Blocker::rate_limited, limit_at};
  }
  return {Blocker::none, now};
}

// Ready, not paused, and able to carry at least a one-part message some day: a SIM the
// avoid list may be waived against.
bool alive(const SimView& sim, TimePoint now) {
  return sim.ready && !sim.paused &&
         (sim.limiter == nullptr || sim.limiter->earliest(now, 1).has_value());
}

bool contains(const std::vector<std::string>& ids, std::string_view id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

void take_min(std::optional<TimePoint>& into, std::optional<TimePoint> candidate) {
  if (candidate && (!into || *candidate < *into)) into = candidate;
}

// Tally of blockers over a group of SIMs, for the wait reason.
struct Tally {
  std::array<std::size_t, kBlockerCount> count{};
  std::array<std::optional<TimePoint>, kBlockerCount> first_end{};
  std::size_t total = 0;

  void add(const SimCheck& c) {
    const auto i = static_cast<std::size_t>(c.blocker);
    ++count[i];
    take_min(first_end[i], c.at);
    ++total;
  }
  [[nodiscard]] std::size_t of(Blocker b) const { return count[static_cast<std::size_t>(b)]; }
  [[nodiscard]] bool none_ready() const { return of(Blocker::not_ready) == total; }
  [[nodiscard]] bool all_never() const { return total > 0 && of(Blocker::never) == total; }

  // "2 busy, 1 rate-limited until 2024-03-05T08:00:10Z"
  [[nodiscard]] std::string details(std::uint32_t parts) const {
    std::string text;
    auto item = [&](Blocker b, std::string_view what) {
      const auto i = static_cast<std::size_t>(b);
      if (count[i] == 0) return;
      if (!text.empty()) text += ", ";
      text += std::to_string(count[i]) + " " + std::string(what);
      if (first_end[i]) text += " until " + format_utc(*first_end[i]);
    };
    item(Blocker::busy, "busy");
    item(Blocker::rate_limited, "rate-limited");
    item(Blocker::day_limit, "at a daily or monthly limit");
    item(Blocker::benched, "benched");
    item(Blocker::paused, "paused");
    item(Blocker::not_ready, "not ready");
    item(Blocker::never, "with a per_day or per_month limit below " + std::to_string(parts) +
                             (parts == 1 ? " part" : " parts"));
    return text;
  }
};

std::string single_sim_reason(const SimView& sim, const SimCheck& c, std::uint32_t parts) {
  const std::string subject = "pinned modem " + sim.id;
  const std::string until = c.at ? " until " + format_utc(*c.at) : "";
  switch (c.blocker) {
    case Blocker::not_ready:
      return subject + " is not ready";
    case Blocker::paused:
      return subject + " is paused";
    case Blocker::never:
      return subject + " has a per_day or per_month limit below " + std::to_string(parts) +
             " parts";
    case Blocker::benched:
      return subject + " is benched after repeated failures" + until;
    case Blocker::busy:
      return subject + " is busy";
    case Blocker::rate_limited:
      return subject + " is rate-limited" + until;
    case Blocker::day_limit:
      return subject + " has reached a daily or monthly limit" + until;
    case Blocker::none:
      break;
  }
  return subject + " can send";
}

// A group of SIMs the message may use, tried in order.
struct Tier {
  std::vector<std::size_t> sims;
  std::string group;  // round-robin cursor key
  bool off_net = false;
  std::optional<TimePoint> opens_at;  // fallback tier: not before this instant
};

struct Route {
  std::vector<Tier> tiers;
  std::string subject;  // for the reason: "on-net SIM for operator X", "SIM"
  bool pinned_modem = false;
  bool fallback_none = false;  // an operator's message that may never leave off-net
};

std::vector<std::size_t> sims_of_operator(std::span<const SimView> sims, std::string_view name) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < sims.size(); ++i) {
    if (sims[i].operator_name == name) out.push_back(i);
  }
  return out;
}

std::vector<std::size_t> all_sims(std::span<const SimView> sims) {
  std::vector<std::size_t> out(sims.size());
  for (std::size_t i = 0; i < sims.size(); ++i) out[i] = i;
  return out;
}

bool pin_conflict(const MessageView& m, const SimView& sim) {
  return !m.pinned_operator.empty() && !sim.operator_name.empty() &&
         sim.operator_name != m.pinned_operator;
}

std::variant<Route, Decision> build_route(const MessageView& m, std::span<const SimView> sims,
                                          const RoutingOptions& options) {
  Route route;
  const std::string& destination = m.destination_operator;
  if (!m.pinned_modem.empty()) {
    const auto it = std::find_if(sims.begin(), sims.end(),
                                 [&](const SimView& s) { return s.id == m.pinned_modem; });
    if (it == sims.end()) {
      return Decision{FailNow{make_error("route.unknown_modem",
                                         "pinned modem \"" + m.pinned_modem + "\" is not known")}};
    }
    if (pin_conflict(m, *it)) {
      return Decision{FailNow{make_error(
          "route.pin_conflict", "pinned modem \"" + m.pinned_modem + "\" carries a SIM of \"" +
                                    it->operator_name + "\", not of the pinned operator \"" +
                                    m.pinned_operator + "\"")}};
    }
    const auto index = static_cast<std::size_t>(it - sims.begin());
    const bool off_net = !destination.empty() && it->operator_name != destination;
    route.tiers.push_back(Tier{{index}, "modem:" + m.pinned_modem, off_net, std::nullopt});
    route.subject = "pinned modem " + m.pinned_modem;
    route.pinned_modem = true;
    return route;
  }
  if (!m.pinned_operator.empty()) {
    const bool off_net = !destination.empty() && m.pinned_operator != destination;
    route.tiers.push_back(Tier{sims_of_operator(sims, m.pinned_operator),
                               "operator:" + m.pinned_operator, off_net, std::nullopt});
    route.subject = "SIM of the pinned operator " + m.pinned_operator;
    return route;
  }
  if (destination.empty()) {
    route.tiers.push_back(Tier{all_sims(sims), "any", false, std::nullopt});
    route.subject = "SIM";
    return route;
  }
  route.tiers.push_back(
      Tier{sims_of_operator(sims, destination), "operator:" + destination, false, std::nullopt});
  route.subject = "on-net SIM for operator " + destination;
  if (options.fallback == Fallback::any) {
    std::vector<std::size_t> others;
    for (std::size_t i = 0; i < sims.size(); ++i) {
      if (sims[i].operator_name != destination) others.push_back(i);
    }
    route.tiers.push_back(
        Tier{std::move(others), "any", true, m.eligible_since + options.fallback_wait});
  } else {
    route.fallback_none = true;
  }
  return route;
}

// Drops the SIMs on the message's avoid list from every tier when another SIM of the
// route is alive (rule 5).
void apply_avoid_list(Route& route, const MessageView& m, std::span<const SimView> sims,
                      TimePoint now) {
  if (m.avoid_sims.empty() || route.pinned_modem) return;
  bool other_alive = false;
  for (const auto& tier : route.tiers) {
    for (const auto i : tier.sims) {
      if (!contains(m.avoid_sims, sims[i].id) && alive(sims[i], now)) other_alive = true;
    }
  }
  if (!other_alive) return;
  for (auto& tier : route.tiers) {
    std::erase_if(tier.sims, [&](std::size_t i) { return contains(m.avoid_sims, sims[i].id); });
  }
}

// Lower queue, then more per_day headroom.
bool less_loaded(const SimView& a, const SimView& b, TimePoint now) {
  if (a.queue != b.queue) return a.queue < b.queue;
  const double headroom_a = a.limiter != nullptr ? a.limiter->day_headroom(now) : 1.0;
  const double headroom_b = b.limiter != nullptr ? b.limiter->day_headroom(now) : 1.0;
  return headroom_a > headroom_b;
}

}  // namespace

std::string format_utc(TimePoint t) {
  const auto seconds_since_epoch = std::chrono::floor<std::chrono::seconds>(t);
  const auto day = std::chrono::floor<std::chrono::days>(seconds_since_epoch);
  const std::chrono::year_month_day date{day};
  const std::chrono::hh_mm_ss time{seconds_since_epoch - day};
  auto two = [](long value) { return (value < 10 ? "0" : "") + std::to_string(value); };
  return std::to_string(static_cast<int>(date.year())) + "-" +
         two(static_cast<unsigned>(date.month())) + "-" + two(static_cast<unsigned>(date.day())) +
         "T" + two(time.hours().count()) + ":" + two(time.minutes().count()) + ":" +
         two(time.seconds().count()) + "Z";
}

SelectionPolicy::SelectionPolicy(RoutingOptions options) : options_(options) {}

Decision SelectionPolicy::choose_sim(const MessageView& m, std::span<const SimView> sims,
                                     TimePoint now) {
  if (now < m.not_before) {
    return WaitUntil{m.not_before, "waiting to retry until " + format_utc(m.not_before)};
  }
  auto built = build_route(m, sims, options_);
  if (auto* decision = std::get_if<Decision>(&built)) return std::move(*decision);
  auto& route = std::get<Route>(built);
  apply_avoid_list(route, m, sims, now);

  std::optional<TimePoint> wake;
  bool any_possible = false;
  bool any_sim = false;
  std::vector<Tally> tallies(route.tiers.size());
  std::vector<SimCheck> single_checks;  // for the pinned modem's own reason
  for (std::size_t t = 0; t < route.tiers.size(); ++t) {
    const Tier& tier = route.tiers[t];
    const bool open = !tier.opens_at || now >= *tier.opens_at;
    std::vector<std::size_t> best;
    for (const auto i : tier.sims) {
      const SimCheck c = check(sims[i], m.parts, now, m.recipient);
      any_sim = true;
      if (c.blocker != Blocker::never) any_possible = true;
      if (route.pinned_modem) single_checks.push_back(c);
      if (c.blocker != Blocker::none || !open) {
        tallies[t].add(c);
        if (c.at && tier.opens_at) {
          take_min(wake, std::max(*c.at, *tier.opens_at));
        } else {
          take_min(wake, c.at);
        }
        continue;
      }
      if (best.empty() || less_loaded(sims[i], sims[best.front()], now)) {
        best.assign(1, i);
      } else if (!less_loaded(sims[best.front()], sims[i], now)) {
        best.push_back(i);
      }
    }
    if (!open && !tier.sims.empty()) take_min(wake, tier.opens_at);
    if (best.empty()) continue;
    // Round-robin among equally loaded SIMs: the first id after the group's last choice.
    auto& last = last_chosen_[tier.group];
    const SimView* pick = nullptr;
    const SimView* lowest = nullptr;
    for (const auto i : best) {
      const SimView& s = sims[i];
      if (lowest == nullptr || s.id < lowest->id) lowest = &s;
      if (s.id > last && (pick == nullptr || s.id < pick->id)) pick = &s;
    }
    if (pick == nullptr) pick = lowest;
    last = pick->id;
    return SendVia{static_cast<std::size_t>(pick - sims.data()), tier.off_net};
  }

  if (any_sim && !any_possible) {
    return FailNow{
        make_error("route.too_many_parts",
                   "the message has " + std::to_string(m.parts) +
                       " parts, more than the per_day or per_month limit of every SIM that may "
                       "carry it")};
  }
  if (route.pinned_modem) {
    return WaitUntil{wake, single_sim_reason(sims[route.tiers.front().sims.front()],
                                             single_checks.front(), m.parts)};
  }
  const Tally& first = tallies.front();
  std::string reason;
  if (route.tiers.front().sims.empty()) {
    reason = "no " + route.subject + " is present";
  } else if (first.none_ready()) {
    reason = "no " + route.subject + " is ready";
  } else {
    reason = "no " + route.subject + " can send now (" + first.details(m.parts) + ")";
  }
  if (route.fallback_none) {
    reason += " and routing.fallback is \"none\"";
  } else if (route.tiers.size() > 1) {
    const Tier& fallback = route.tiers[1];
    if (fallback.sims.empty()) {
      reason += " and there is no other SIM";
    } else if (now < *fallback.opens_at) {
      reason += "; other SIMs may take it from " + format_utc(*fallback.opens_at);
    } else {
      reason += "; no other SIM can send now either (" + tallies[1].details(m.parts) + ")";
    }
  }
  return WaitUntil{wake, std::move(reason)};
}

std::optional<std::size_t> SelectionPolicy::choose_message(std::size_t sim_index,
                                                           std::span<const SimView> sims,
                                                           std::span<const MessageView> candidates,
                                                           TimePoint now) const {
  if (sim_index >= sims.size()) return std::nullopt;
  const SimView& sim = sims[sim_index];
  if (check(sim, 1, now).blocker != Blocker::none) return std::nullopt;

  // Fleet summary, once per call: which SIMs are alive, and which can send now, by operator.
  std::unordered_map<std::string_view, std::size_t> index_of;
  std::unordered_map<std::string_view, std::vector<std::size_t>> free_by_operator;
  std::unordered_map<std::string_view, std::size_t> alive_by_operator;
  std::vector<char> is_alive(sims.size(), 0);
  std::size_t alive_total = 0;
  for (std::size_t i = 0; i < sims.size(); ++i) {
    index_of.emplace(sims[i].id, i);
    if (alive(sims[i], now)) {
      is_alive[i] = 1;
      ++alive_total;
      ++alive_by_operator[sims[i].operator_name];
    }
    if (check(sims[i], 1, now).blocker == Blocker::none) {
      free_by_operator[sims[i].operator_name].push_back(i);
    }
  }
  auto count_of = [](const auto& map, std::string_view key) -> std::size_t {
    const auto it = map.find(key);
    return it == map.end() ? 0 : it->second;
  };
  // Alive SIMs of the pool that are on `m`'s avoid list (each id once).
  auto avoided_alive = [&](const MessageView& m, std::string_view only_operator) {
    std::unordered_set<std::string_view> seen;
    std::size_t n = 0;
    for (const auto& id : m.avoid_sims) {
      const auto it = index_of.find(id);
      if (it == index_of.end() || !seen.insert(id).second || !is_alive[it->second]) continue;
      if (only_operator.empty() || sims[it->second].operator_name == only_operator) ++n;
    }
    return n;
  };
  // Rule 5 seen from this SIM: is another alive SIM of `m`'s route not on its avoid list?
  auto avoid_applies = [&](const MessageView& m, std::string_view only_operator) {
    const std::size_t pool =
        only_operator.empty() ? alive_total : count_of(alive_by_operator, only_operator);
    return pool > avoided_alive(m, only_operator);
  };
  // Can an on-net SIM of `m`'s operator take it now (rule 2 gives it first claim)?
  auto on_net_can_take = [&](const MessageView& m, bool skip_avoided) {
    const auto it = free_by_operator.find(m.destination_operator);
    if (it == free_by_operator.end()) return false;
    for (const auto i : it->second) {
      if (skip_avoided && contains(m.avoid_sims, sims[i].id)) continue;
      if (sims[i].limiter == nullptr || sims[i].limiter->can_send(now, m.parts, m.recipient)) {
        return true;
      }
    }
    return false;
  };

  for (std::size_t c = 0; c < candidates.size(); ++c) {
    const MessageView& m = candidates[c];
    if (now < m.not_before) continue;
    if (sim.limiter != nullptr && !sim.limiter->can_send(now, m.parts, m.recipient)) continue;
    if (!m.pinned_modem.empty()) {
      if (m.pinned_modem == sim.id && !pin_conflict(m, sim)) return c;
      continue;
    }
    const bool avoided = contains(m.avoid_sims, sim.id);
    if (!m.pinned_operator.empty()) {
      if (sim.operator_name != m.pinned_operator) continue;
      if (avoided && avoid_applies(m, m.pinned_operator)) continue;
      return c;
    }
    const bool on_net =
        m.destination_operator.empty() || sim.operator_name == m.destination_operator;
    if (on_net) {
      // The route's pool: every SIM, except for an operator's message without fallback.
      const bool whole_fleet = m.destination_operator.empty() || options_.fallback == Fallback::any;
      if (avoided && avoid_applies(m, whole_fleet ? std::string_view{} : m.destination_operator)) {
        continue;
      }
      return c;
    }
    if (options_.fallback == Fallback::none) continue;
    if (now < m.eligible_since + options_.fallback_wait) continue;
    if (avoided && avoid_applies(m, {})) continue;
    if (on_net_can_take(m, avoid_applies(m, {}))) continue;
    return c;
  }
  return std::nullopt;
}

}  // namespace smsgw::scheduler
