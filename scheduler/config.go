package scheduler

import (
	"context"
	"log/slog"
	"time"

	"duban/kb"
	"duban/progress"
)

// Config is the scheduler's part of the configuration file: the chats
// reminders go to and the reminder rules, plus run-time knobs that are not
// read from YAML. The zero value of every knob is usable.
type Config struct {
	Chats     []Chat `yaml:"chats"`
	Reminders []Rule `yaml:"reminders"`
	// LeaderSummaries are the weekly status summaries (see summary.go).
	LeaderSummaries []LeaderSummary `yaml:"leader_summaries"`
	// Escalate sends tasks red for so many days up the line (escalate.go).
	Escalate Escalation `yaml:"escalate"`
	// Urge says which chats may 催办 (urge.go).
	Urge UrgeConfig `yaml:"urge"`
	// Bulletins are the weekly or monthly 通报 (bulletin.go).
	Bulletins []Bulletin `yaml:"bulletins"`

	// Status returns a task's reported status (progress.Tracker's Lookup):
	// tasks reported done get no reminders, an extension request shows in
	// the digest. Default: nil, every dated task is reminded.
	Status func(t kb.Table, no int) (kb.Status, bool) `yaml:"-"`
	// Files gives the file sender of a chat that can receive files, for
	// the xlsx a bulletin attaches. Default: nil, bulletins link instead.
	Files func(chat string) (FileSender, bool) `yaml:"-"`
	// Lights are the traffic-light thresholds each digest line's colour
	// is computed with. Default: progress.Thresholds{}.
	Lights progress.Thresholds `yaml:"-"`

	// Now is the clock Start reads at each tick. Default: time.Now.
	Now func() time.Time `yaml:"-"`
	// Sleep waits d or until ctx is done (backoff and rate-limit waits).
	// Default: a timer honouring ctx.
	Sleep func(ctx context.Context, d time.Duration) error `yaml:"-"`
	// Logger receives one line per tick and per failed push. Default:
	// slog.Default().
	Logger *slog.Logger `yaml:"-"`
	// Metrics observes sends, skips, failures, retries and rate-limit
	// waits. Default: none.
	Metrics Metrics `yaml:"-"`

	// ClaimTTL is the lease of a ledger claim: a run renews its claims
	// every third of it while it sends, so it only bounds how long the
	// claims of a dead process block others (a newer holder of the tick
	// lock takes them over at once). It is raised to 3×PushTimeout.
	// Default: 2 minutes.
	ClaimTTL time.Duration `yaml:"-"`
	// Retain is how long a confirmed reminder is remembered. Default: 0,
	// forever (an overdue task without repeats stays in its window).
	Retain time.Duration `yaml:"-"`
	// LockTTL is the tick lock's lease; a run extends it every third of
	// it and before each part it sends. It is raised to 2×PushTimeout, so
	// a part in flight always ends inside the lease. Default: 2 minutes.
	LockTTL time.Duration `yaml:"-"`
	// MaxAttempts bounds the pushes of one digest within a run when the
	// platform answers with a retryable error. Default: 4.
	MaxAttempts int `yaml:"-"`
	// Backoff is the wait before the first retry; it doubles with each
	// further attempt up to MaxBackoff. Defaults: 2 seconds, 1 minute.
	Backoff    time.Duration `yaml:"-"`
	MaxBackoff time.Duration `yaml:"-"`
	// PushTimeout bounds one Pusher.Push call; a timeout is retried.
	// Default: 30 seconds.
	PushTimeout time.Duration `yaml:"-"`
	// RateBurst messages in any window of RatePer is each chat's sending
	// limit: the group robots' documented 20 a minute, counted over a
	// window a little longer than the minute, since a post reaches the
	// platform some time after its slot. Defaults: 20, 62 seconds.
	RateBurst int           `yaml:"-"`
	RatePer   time.Duration `yaml:"-"`
	// RateLimitWait is the shortest time a chat is left alone after the
	// platform refused for sending too fast; a refusal's RetryAfter()
	// may ask for longer (outbound.LimitConfig.MinBlock). Default: 1
	// minute; never less.
	RateLimitWait time.Duration `yaml:"-"`
	// MaxRateWait is the longest platform block a run waits out; a longer
	// one defers the chat's rest to a run after it (Start retries the tick
	// then). Default: 2 minutes.
	MaxRateWait time.Duration `yaml:"-"`
	// RetryBackoff is the first wait before Start runs a tick again that
	// failed, left reminders pending or deferred; it doubles up to
	// MaxRetryBackoff, and retries stop at the end of the tick's day.
	// Defaults: 1 minute, 30 minutes.
	RetryBackoff    time.Duration `yaml:"-"`
	MaxRetryBackoff time.Duration `yaml:"-"`
	// NoCatchUp turns off running, at Start, a tick its spec had earlier
	// the same day. Default: false, so a restart (after a crash, a deploy
	// or a reload) delivers that day's reminders at once.
	NoCatchUp bool `yaml:"-"`
	// Concurrency is how many chats are pushed to at once. Default: 8.
	Concurrency int `yaml:"-"`
}

// A Chat is a group that receives reminders for the units it speaks for.
// Sender settings (webhook keys, secrets) belong to the sender
// configuration; the caller reports whether they are present.
type Chat struct {
	Name string `yaml:"name"`
	// Type names the chat's sender kind (`chats[].type`). The scheduler
	// only passes it to the Pusher, which builds the chat's sender; the
	// sender decides the format, the size limit and the cost in sends.
	Type string `yaml:"type"`
	// Units are canonical names or aliases (交通运输局 = 交通局), or a
	// collective (各区镇) for a group that speaks for all of them.
	Units          []string `yaml:"units"`
	MentionMobiles []string `yaml:"mention_mobiles"`
	MentionUserIDs []string `yaml:"mention_userids"`
	// ConversationIDs name this group as inbound messages do; the bot uses
	// them, the scheduler does not.
	ConversationIDs []string `yaml:"conversation_ids"`
	// Leader names the leader whose chat this is (`leader: 茅敏勇`): the
	// escalations of tasks whose lead units the leader 分管 come here
	// (escalate.go), and the chat may 催办 (urge.go).
	Leader string `yaml:"leader"`

	// HasCredentials is set by the caller when the chat's sender settings
	// are complete; Validate reports a chat without them.
	HasCredentials bool `yaml:"-"`
	// RateKey names the rate-limit bucket, so chats that share one robot
	// can share its limit. Default: the chat's name.
	RateKey string `yaml:"-"`
}

// A Rule says when to remind: its cron spec (standard 5 fields, Asia/
// Shanghai) and the milestones of each dated task it announces.
type Rule struct {
	Cron string `yaml:"cron"`
	// DaysBefore lists the reminders before the due date: 30 means "due in
	// 30 days" is sent at the first tick on or after due-30.
	DaysBefore []int `yaml:"days_before"`
	// OverdueEveryDays repeats the overdue reminder every so many days
	// after the first one, the day after the due date; 0 tells once.
	OverdueEveryDays int `yaml:"overdue_every_days"`
	// OverdueIntervals, when set, replaces OverdueEveryDays with reminders
	// at growing intervals in days: [1, 7, 14, 30] sends the first the
	// day after the due date, the next 7 days later, then 14 days later,
	// then every 30 days (the last interval repeats).
	OverdueIntervals []int `yaml:"overdue_intervals"`
	// OverdueMax caps how many overdue reminders a task gets under this
	// rule; the last one is never repeated. Default: 0, no cap.
	OverdueMax int `yaml:"overdue_max"`
	// CoUnits sends a copy marked 协同 to the chats of co-units named
	// individually.
	CoUnits bool `yaml:"co_units"`
	// CollectiveCoUnits also sends it to every member chat of a
	// collective co-unit (相关部门, 各部门, 各有关部门); without it such a
	// co-unit reaches only a chat that lists the collective itself.
	// Default: false.
	CollectiveCoUnits bool `yaml:"collective_co_units"`
}

func (c Config) withDefaults() Config {
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Sleep == nil {
		c.Sleep = sleep
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.Metrics == nil {
		c.Metrics = MetricsFunc(func(Event) {})
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&c.ClaimTTL, 2*time.Minute)
	def(&c.LockTTL, 2*time.Minute)
	def(&c.Backoff, 2*time.Second)
	def(&c.MaxBackoff, time.Minute)
	def(&c.PushTimeout, 30*time.Second)
	def(&c.RatePer, 62*time.Second)
	def(&c.RateLimitWait, time.Minute)
	def(&c.MaxRateWait, 2*time.Minute)
	def(&c.RetryBackoff, time.Minute)
	def(&c.MaxRetryBackoff, 30*time.Minute)
	c.RateLimitWait = max(c.RateLimitWait, time.Minute)
	c.ClaimTTL = max(c.ClaimTTL, 3*c.PushTimeout)
	c.LockTTL = max(c.LockTTL, 2*c.PushTimeout)
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = 4
	}
	if c.RateBurst <= 0 {
		c.RateBurst = 20
	}
	if c.Concurrency <= 0 {
		c.Concurrency = 8
	}
	return c
}

// sleep waits d unless ctx ends first.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
