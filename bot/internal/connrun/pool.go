package connrun

import "sync"

// A Pool runs jobs on a fixed number of workers fed by a bounded queue.
// A connection's reader submits without ever blocking, so pings are
// answered however slow the handlers are. It is safe to submit while the
// pool closes: a job submitted after Close is refused.
type Pool struct {
	jobs   chan func()
	wg     sync.WaitGroup
	mu     sync.Mutex
	closed bool
}

// NewPool starts workers goroutines (at least one) that run the jobs
// submitted, of which up to queue may wait.
func NewPool(workers, queue int) *Pool {
	p := &Pool{jobs: make(chan func(), max(queue, 0))}
	for range max(workers, 1) {
		p.wg.Go(func() {
			for j := range p.jobs {
				j()
			}
		})
	}
	return p
}

// TrySubmit queues job unless the queue is full or the pool is closed,
// and reports whether it did.
func (p *Pool) TrySubmit(job func()) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return false
	}
	select {
	case p.jobs <- job:
		return true
	default:
		return false
	}
}

// Close refuses new jobs, lets the workers finish the queued ones and
// waits for them. It may be called more than once.
func (p *Pool) Close() {
	p.mu.Lock()
	if !p.closed {
		p.closed = true
		close(p.jobs)
	}
	p.mu.Unlock()
	p.wg.Wait()
}
