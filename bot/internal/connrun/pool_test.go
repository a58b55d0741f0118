package connrun

import (
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// Workers bounds the jobs running at once and queue the ones waiting; a
// job beyond both is refused at once, so a reader never blocks.
func TestPoolBounds(t *testing.T) {
	for _, tt := range []struct{ workers, queue int }{{1, 0}, {2, 1}, {3, 5}, {8, 64}} {
		synctest.Test(t, func(t *testing.T) {
			p := NewPool(tt.workers, tt.queue)
			var mu sync.Mutex
			running, peak, ran := 0, 0, 0
			job := func() {
				mu.Lock()
				running++
				peak = max(peak, running)
				mu.Unlock()
				time.Sleep(time.Second)
				mu.Lock()
				running--
				ran++
				mu.Unlock()
			}
			accepted := 0
			for range tt.workers + tt.queue + 3 {
				if p.TrySubmit(job) {
					accepted++
				}
				synctest.Wait() // let a free worker take it
			}
			if want := tt.workers + tt.queue; accepted != want {
				t.Errorf("workers %d queue %d: accepted %d, want %d", tt.workers, tt.queue, accepted, want)
			}
			p.Close()
			p.Close() // a second Close is harmless
			if peak != tt.workers || ran != accepted {
				t.Errorf("workers %d: peak %d running, %d ran; want %d and %d", tt.workers, peak, ran, tt.workers, accepted)
			}
			if p.TrySubmit(job) {
				t.Error("a job accepted after Close")
			}
		})
	}
}
