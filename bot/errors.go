package bot

import "errors"

// Sentinels that adapters and middleware branch on with errors.Is.
var (
	// ErrDuplicate is returned by Dedup for a platform retry of a message
	// already handled. Adapters answer it with an empty 200 so the platform
	// stops retrying and the group sees one reply.
	ErrDuplicate = errors.New("bot: duplicate message")
	// ErrBusy is returned by MaxInFlight when no slot freed up before the
	// message's context ended. It wraps the context's error as well.
	ErrBusy = errors.New("bot: too many messages in flight")
	// ErrNoHandler is returned by Answer while no knowledge base is loaded.
	ErrNoHandler = errors.New("bot: no knowledge base loaded")
	// ErrUnknownChat is returned by Outbox.Push for a chat name that was
	// never added.
	ErrUnknownChat = errors.New("bot: unknown chat")
	// ErrBadSignature means an inbound request's signature is missing or
	// does not match (STYLE §3.4); platform packages may wrap it.
	ErrBadSignature = errors.New("bot: bad signature")
	// ErrExpired means an inbound request's timestamp is outside the
	// platform's window (STYLE §3.4); platform packages may wrap it.
	ErrExpired = errors.New("bot: timestamp outside the allowed window")
	// ErrReplay means a signed request came again, byte for byte, while its
	// signature is still valid (ReplayGuard). Adapters answer it like a
	// duplicate: an empty 200, nothing handled.
	ErrReplay = errors.New("bot: request replayed")
	// ErrStoreDown means a progress report could not be recorded because
	// the shared store did not answer; the reply says so.
	ErrStoreDown = errors.New("bot: store unavailable")
)
