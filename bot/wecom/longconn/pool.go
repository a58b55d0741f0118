package longconn

import "duban/bot/internal/connrun"

// A pool hands jobs (messages and card clicks) to the connection runner's
// workers, each run by do. It adds only the job type: the bound, the
// queue and the drain at shutdown are connrun.Pool's.
type pool struct {
	workers *connrun.Pool
	do      func(job)
}

// trySubmit queues j unless the queue is full or the pool closed.
func (p *pool) trySubmit(j job) bool { return p.workers.TrySubmit(func() { p.do(j) }) }
