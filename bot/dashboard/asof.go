package dashboard

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"duban/kb"
	"duban/progress"
)

// histories holds the journal of every task that has one, so that any
// day's statuses are a fold over the entries made by then: the journal is
// append-only and every entry is stamped, so the past is exact.
type histories map[progress.Key][]progress.Entry

// historyReaders bounds the journal reads in flight for one page: with
// Redis each read is a round trip, and a city has hundreds of tasks.
const historyReaders = 8

// loadHistories reads the journal of every record of b through history
// (the tracker's History), historyReaders at a time. nil history gives no
// statuses.
func loadHistories(ctx context.Context, b *kb.Base, history HistoryFunc) (histories, error) {
	h := histories{}
	if history == nil {
		return h, nil
	}
	var keys []progress.Key
	seen := map[progress.Key]bool{}
	for _, r := range b.Records() {
		k := progress.Key{Table: r.Table, No: r.No}
		if !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		mu    sync.Mutex
		first error
		wg    sync.WaitGroup
		next  = make(chan progress.Key)
	)
	for range min(historyReaders, len(keys)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range next {
				es, err := history(ctx, k.Table, k.No)
				mu.Lock()
				if err != nil && first == nil {
					first = err
					cancel()
				} else if len(es) > 0 {
					h[k] = es
				}
				mu.Unlock()
			}
		}()
	}
	for _, k := range keys {
		if ctx.Err() != nil {
			break
		}
		next <- k
	}
	close(next)
	wg.Wait()
	if first != nil {
		return nil, fmt.Errorf("dashboard: statuses: %w", first)
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
