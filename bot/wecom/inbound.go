package wecom

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"duban/bot"
)

// Inbound defaults, shared by the app and the AI-bot callbacks.
const (
	DefaultDeadline     = 4 * time.Second // WeCom gives up after 5 s
	DefaultMaxBodyBytes = 64 << 10
	DefaultMaxSkew      = 10 * time.Minute
	DefaultAsyncTimeout = 2 * time.Minute
)

// errMalformed marks requests that are not the protocol's shape (400).
var errMalformed = errors.New("wecom: malformed request")

// inbound is what both callbacks share: credentials, limits and the clock.
type inbound struct {
	token        string
	key          []byte
	block        cipher.Block
	sealer       sealer
	maxBody      int64
	maxSkew      time.Duration
	deadline     time.Duration
	asyncTimeout time.Duration
	now          func() time.Time
	log          *slog.Logger
	replay       *bot.ReplayGuard
}

// inboundConfig is the common part of CallbackConfig and AIBotConfig.
type inboundConfig struct {
	Token          Secret
	EncodingAESKey Secret
	ReceiveID      string
	Deadline       time.Duration
	MaxBodyBytes   int64
	MaxSkew        time.Duration
	AsyncTimeout   time.Duration
	Now            func() time.Time
	Rand           io.Reader
	Logger         *slog.Logger
	Replay         *bot.ReplayGuard
}

func newInbound(c inboundConfig) (*inbound, error) {
	if c.Token == "" {
		return nil, errors.New("wecom: callback token is empty")
	}
	key, err := decodeAESKey(string(c.EncodingAESKey))
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("wecom: AES key: %w", err)
	}
	in := &inbound{
		token: string(c.Token), key: key, block: block,
		sealer:  sealer{token: string(c.Token), aesKey: string(c.EncodingAESKey), receiveID: c.ReceiveID, rand: c.Rand},
		maxBody: c.MaxBodyBytes, maxSkew: c.MaxSkew, deadline: c.Deadline,
		asyncTimeout: c.AsyncTimeout, now: c.Now, log: c.Logger, replay: c.Replay,
	}
	if in.sealer.rand == nil {
		in.sealer.rand = rand.Reader
	}
	if in.maxBody <= 0 {
		in.maxBody = DefaultMaxBodyBytes
	}
	if in.maxSkew == 0 {
		in.maxSkew = DefaultMaxSkew
	}
	if in.deadline <= 0 {
		in.deadline = DefaultDeadline
	}
	if in.asyncTimeout <= 0 {
		in.asyncTimeout = DefaultAsyncTimeout
	}
	if in.now == nil {
		in.now = time.Now
	}
	if in.log == nil {
		in.log = slog.Default()
	}
	return in, nil
}

// params are the query parameters of every callback request.
type params struct {
	signature, timestamp, nonce string
}

// check verifies the query of a callback over encrypt: parameters present,
// timestamp inside the window, msg_signature right. The window is not in
// WeCom's documents; it bounds replays of a captured request, and WeCom's
// own retries come within 15 s (PROTOCOLS §1.6). A negative MaxSkew
// disables it.
func (in *inbound) check(q url.Values, encrypt string) (params, error) {
	p := params{q.Get("msg_signature"), q.Get("timestamp"), q.Get("nonce")}
	if p.signature == "" || p.timestamp == "" || p.nonce == "" || encrypt == "" {
		return p, fmt.Errorf("%w: missing msg_signature, timestamp, nonce or ciphertext", errMalformed)
	}
	ts, err := strconv.ParseInt(p.timestamp, 10, 64)
	if err != nil {
		return p, fmt.Errorf("%w: timestamp %q", errMalformed, p.timestamp)
	}
	if !signatureOK(in.token, p.timestamp, p.nonce, encrypt, p.signature) {
		return p, errSignature
	}
	if in.maxSkew > 0 {
		if d := in.now().Sub(time.Unix(ts, 0)); d > in.maxSkew || d < -in.maxSkew {
			return p, fmt.Errorf("%w: %s off", errStale, d.Round(time.Second))
		}
	}
	return p, nil
}

// fresh refuses a POST whose signed parameters came before (bot.ErrReplay):
// WeCom's msg_signature covers timestamp, nonce and ciphertext, so the
// same triple is the same request, a retry or a replay, answered once
// (one store key per request: ReplayGuard.CheckSealed).
// It is remembered while the timestamp stays inside the window (plus a
// minute); with the window off, for DefaultMaxSkew. A store failure lets
// the request through, logged: message-ID dedup still holds, and reports
// need the store to record.
func (in *inbound) fresh(ctx context.Context, platform string, p params) error {
	if in.replay == nil {
		return nil
	}
	skew := in.maxSkew
	if skew <= 0 {
		skew = DefaultMaxSkew
	}
	ts, _ := strconv.ParseInt(p.timestamp, 10, 64) // check parsed it
	ttl := time.Unix(ts, 0).Add(skew).Sub(in.now()) + time.Minute
	if ttl < time.Minute {
		ttl = time.Minute
	}
	err := in.replay.CheckSealed(ctx, platform, p.timestamp+"|"+p.nonce+"|"+p.signature, ttl)
	if err != nil && !errors.Is(err, bot.ErrReplay) {
		in.log.Warn("wecom callback: replay check failed, answering anyway", "platform", platform, "err", err)
		return nil
	}
	return err
}

// readBody reads at most maxBody bytes; a larger body is an error that
// status maps to 413.
func (in *inbound) readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, in.maxBody))
	if err != nil {
		return nil, fmt.Errorf("wecom: read body: %w", err)
	}
	return b, nil
}

// refuse answers a request that failed verification. WeCom retries any
// non-200, which is right: a transient failure may pass next time, and a
// forged request costs only its retries.
func (in *inbound) refuse(w http.ResponseWriter, r *http.Request, platform string, err error) {
	if errors.Is(err, bot.ErrReplay) {
		// Handled once already: the empty 200 a duplicate gets, so a
		// retrying WeCom stops and a replayer learns nothing.
		in.log.Info("wecom callback replayed, ignored", "platform", platform, "remote", r.RemoteAddr)
		w.WriteHeader(http.StatusOK)
		return
	}
	code := status(err)
	in.log.Warn("wecom callback refused", "platform", platform, "method", r.Method,
		"status", code, "err", err, "remote", r.RemoteAddr)
	http.Error(w, http.StatusText(code), code)
}

// status maps an inbound error to its HTTP status.
func status(err error) int {
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return http.StatusRequestEntityTooLarge
	case errors.Is(err, errSignature), errors.Is(err, errStale), errors.Is(err, bot.ErrBadSignature):
		return http.StatusUnauthorized
	case errors.Is(err, errReceiveID):
		return http.StatusForbidden
	default: // errMalformed, errDecrypt, parse errors
		return http.StatusBadRequest
	}
}

// open decrypts a callback ciphertext with decryptStrict and checks the
// receive id (the corp id, or "" for the AI bot) in constant time.
//
// silenceper's util.DecryptMsg is not used on this path: it rejects the AI
// bot's empty receive id (PROTOCOLS §0.2), and its AESDecryptMsg strips
// padding by the last byte without checking the pad bytes, so a ciphertext
// with bad padding is accepted (TestBadInputRefused). The tests and
// FuzzDecrypt check decryptStrict against it on every input it accepts.
func (in *inbound) open(encrypt string) ([]byte, error) {
	msg, rid, err := decryptStrict(in.block, in.key[:16], encrypt)
	if err != nil {
		return nil, err
	}
	if subtle.ConstantTimeCompare(rid, []byte(in.sealer.receiveID)) != 1 {
		return nil, errReceiveID
	}
	return msg, nil
}
