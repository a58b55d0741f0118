package scheduler

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/robfig/cron/v3"

	"duban/kb"
	"duban/kb/names"
)

// Validate checks cfg against the knowledge base and returns every problem
// at once, each named by its YAML path:
//
//	chats[2].units[0]: unknown unit "交通厅"
//	reminders[0].cron: "0 9 * *": expected exactly 5 fields, found 4: [0 9 * *]
//
// A unit is known when the documents name it (after alias resolution:
// 交通运输局 is 交通局) or when it is a collective (各区镇). A chat needs
// credentials (Chat.HasCredentials, set by the caller from its platform's
// own check of the chat's type and keys, which names what is missing;
// the scheduler knows no platform). The warnings list
// what is not wrong but is probably unintended, above all the units that
// lead dated tasks and have no chat, whose reminders go nowhere.
func Validate(cfg Config, base *kb.Base) (warnings []string, err error) {
	errs := checkStructure(cfg)
	known := map[string]bool{}
	if base != nil {
		for _, u := range base.Units() {
			known[names.Unit(u)] = true
		}
	}
	for i, c := range cfg.Chats {
		p := fmt.Sprintf("chats[%d]", i)
		if !c.HasCredentials {
			errs = append(errs, fmt.Errorf("%s: chat %q has no credentials for its sender (type %q)", p, c.Name, c.Type))
		}
		if len(c.Units) == 0 && !supervises(cfg, i) {
			warnings = append(warnings, fmt.Sprintf("%s: chat %q lists no units and receives nothing: no reminders, escalations, 催办, 通报 or leader summaries", p, c.Name))
		}
		for j, u := range c.Units {
			cu := names.Unit(u)
			if base != nil && !known[cu] && !names.IsCollective(cu) {
				errs = append(errs, fmt.Errorf("%s.units[%d]: unknown unit %q%s", p, j, u, readAs(u, cu)))
			}
		}
	}
	every := map[int]int{} // overdue_every_days → first rule
	for i, r := range cfg.Reminders {
		if r.OverdueEveryDays <= 0 {
			continue
		}
		if _, ok := every[r.OverdueEveryDays]; !ok && len(every) > 0 {
			warnings = append(warnings, fmt.Sprintf("reminders[%d].overdue_every_days: rules with different overdue repeats share the ledger keys overdue-2, overdue-3, …; the first one sent wins", i))
		}
		every[r.OverdueEveryDays] = i
	}
	if base != nil {
		warnings = append(warnings, unroutedWarning(cfg.Chats, base)...)
	}
	return warnings, errors.Join(errs...)
}

// supervises reports whether chat i has a part besides its units': it
// receives escalations (escalate.chat, or a leader's chat under
// escalate.leaders), may 催办 (urge.chats, or any leader's chat: MayUrge),
// or receives a 通报 or a leader summary. A 督查办 or leader chat lists no
// units by design, and warning that it receives nothing would be false.
func supervises(cfg Config, i int) bool {
	c := cfg.Chats[i]
	if c.Name == "" {
		return false
	}
	if len(cfg.Escalate.stages()) > 0 && (cfg.Escalate.Chat == c.Name || cfg.Escalate.Leaders && c.Leader != "") {
		return true
	}
	if c.Leader != "" || slices.Contains(cfg.Urge.Chats, c.Name) {
		return true
	}
	for _, b := range cfg.Bulletins {
		if b.Chat == c.Name {
			return true
		}
	}
	for _, ls := range cfg.LeaderSummaries {
		if ls.Chat == c.Name {
			return true
		}
	}
	return false
}

// checkStructure finds the problems New refuses: without a name a chat
// cannot be addressed, and a bad spec cannot be scheduled.
func checkStructure(cfg Config) []error {
	var errs []error
	seen := map[string]int{}
	for i, c := range cfg.Chats {
		p := fmt.Sprintf("chats[%d]", i)
		if strings.TrimSpace(c.Name) == "" {
			errs = append(errs, fmt.Errorf("%s.name: missing", p))
			continue
		}
		if j, dup := seen[c.Name]; dup {
			errs = append(errs, fmt.Errorf("%s.name: duplicate chat name %q (also chats[%d])", p, c.Name, j))
			continue
		}
		seen[c.Name] = i
	}
	for i, r := range cfg.Reminders {
		p := fmt.Sprintf("reminders[%d]", i)
		if _, err := cron.ParseStandard(r.Cron); err != nil {
			errs = append(errs, fmt.Errorf("%s.cron: %q: %w", p, r.Cron, err))
		}
		for j, n := range r.DaysBefore {
			if n < 0 {
				errs = append(errs, fmt.Errorf("%s.days_before[%d]: %d is negative (days before the due date; overdue reminders use overdue_every_days)", p, j, n))
			}
		}
		if r.OverdueEveryDays < 0 {
			errs = append(errs, fmt.Errorf("%s.overdue_every_days: %d is negative (0 tells once)", p, r.OverdueEveryDays))
		}
		for j, n := range r.OverdueIntervals {
			if n < 1 {
				errs = append(errs, fmt.Errorf("%s.overdue_intervals[%d]: %d is not a number of days (1 or more)", p, j, n))
			}
		}
		if r.OverdueMax < 0 {
			errs = append(errs, fmt.Errorf("%s.overdue_max: %d is negative (0: no cap)", p, r.OverdueMax))
		}
	}
	return errs
}

// readAs explains an alias resolution that still found nothing.
func readAs(u, cu string) string {
	if names.Clean(u) == cu {
		return ""
	}
	return fmt.Sprintf(" (read as %q)", cu)
}

// unroutedWarning lists the units that lead dated tasks but reach no chat,
// most tasks first.
func unroutedWarning(chats []Chat, base *kb.Base) []string {
	rt := newRouter(chats)
	count := map[string]int{}
	for _, r := range base.Records() {
		if r.Due == nil {
			continue
		}
		for _, u := range r.LeadUnits {
			if len(rt.chats(u)) == 0 {
				count[names.Unit(u)]++
			}
		}
	}
	if len(count) == 0 {
		return nil
	}
	units := make([]string, 0, len(count))
	for u := range count {
		units = append(units, u)
	}
	sort.Slice(units, func(i, j int) bool {
		if count[units[i]] != count[units[j]] {
			return count[units[i]] > count[units[j]]
		}
		return units[i] < units[j]
	})
	parts := make([]string, len(units))
	for i, u := range units {
		parts[i] = fmt.Sprintf("%s (%d)", u, count[u])
	}
	return []string{fmt.Sprintf("chats: %d units lead dated tasks but have no chat, their reminders go nowhere: %s",
		len(units), strings.Join(parts, ", "))}
}
