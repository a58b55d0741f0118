package longconn

import "sync"

// A pool runs jobs on a fixed number of workers fed by a bounded queue.
// It is safe to submit while it closes: a job submitted after close is
// refused.
type pool struct {
	jobs   chan job
	wg     sync.WaitGroup
	mu     sync.Mutex
	closed bool
}

func newPool(workers, queue int, do func(job)) *pool {
	p := &pool{jobs: make(chan job, queue)}
	for range workers {
		p.wg.Go(func() {
			for j := range p.jobs {
				do(j)
			}
		})
	}
	return p
}

// trySubmit queues j unless the queue is full or the pool closed.
func (p *pool) trySubmit(j job) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return false
	}
	select {
	case p.jobs <- j:
		return true
	default:
		return false
	}
}

// close refuses new jobs, lets the workers finish the queued ones and
// waits for them. It may be called more than once.
func (p *pool) close() {
	p.mu.Lock()
	if !p.closed {
		p.closed = true
		close(p.jobs)
	}
	p.mu.Unlock()
	p.wg.Wait()
}
