package dashboard

import (
	"context"
	"fmt"
	"strings"
	"time"

	"duban/kb"
	"duban/progress"
)

// histories holds the journal of every task that has one, so that any
// day's statuses are a fold over the entries made by then: the journal is
// append-only and every entry is stamped, so the past is exact.
type histories map[progress.Key][]progress.Entry

// loadHistories reads the journal of every record of b through history
// (the tracker's History). nil history gives no statuses.
func loadHistories(ctx context.Context, b *kb.Base, history HistoryFunc) (histories, error) {
	h := histories{}
	if history == nil {
		return h, nil
	}
	for _, r := range b.Records() {
		k := progress.Key{Table: r.Table, No: r.No}
		if _, done := h[k]; done {
			continue
		}
		es, err := history(ctx, r.Table, r.No)
		if err != nil {
			return nil, fmt.Errorf("dashboard: statuses: %w", err)
		}
		if len(es) > 0 {
			h[k] = es
		}
	}
	return h, nil
}

// at returns the status of task (t, no) in force at the moment end, with
// progress.Fold over the entries made by then. An undo made after end does
// not reach back: the day is shown as it stood.
func (h histories) at(t kb.Table, no int, end time.Time) statusAt {
	es := h[progress.Key{Table: t, No: no}]
	if len(es) == 0 {
		return statusAt{}
	}
	// Entries are in append order but stamped by several replicas' clocks,
	// so filter rather than cut at the first late one.
	upTo := make([]progress.Entry, 0, len(es))
	for _, e := range es {
		if !e.At.After(end) {
			upTo = append(upTo, e)
		}
	}
	s, ok := progress.Fold(upTo)
	if !ok {
		return statusAt{}
	}
	return statusAt{s: s}
}

// endOfDay returns the last instant of day's date in Asia/Shanghai.
func endOfDay(day time.Time) time.Time {
	y, m, d := day.In(kb.Location).Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, kb.Location).Add(-time.Nanosecond)
}

// parseDay reads an ISO day ("2020-12-20") in Asia/Shanghai.
func parseDay(s string) (time.Time, error) {
	t, err := time.ParseInLocation(time.DateOnly, strings.TrimSpace(s), kb.Location)
	if err != nil {
		return time.Time{}, fmt.Errorf("as of %q: want a date such as 2020-12-20", s)
	}
	return t, nil
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), "") }
