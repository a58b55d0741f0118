package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"duban/bot"
	"duban/bot/dingtalk"
	"duban/bot/metrics"
	"duban/bot/wecom"
	"duban/bot/wecom/longconn"
	"duban/store"
)

// inboundChain is the pipeline every platform's questions go through:
// Recover, then Log, then metrics, then Dedup (platform retries answered
// once, shared across replicas through the store), then a bound on
// concurrent answers, then a timeout, then the answer itself.
// Progress reports ("76号已完成") are taken innermost, after Dedup, so a
// retried report is recorded once.
func inboundChain(state *kbState, st store.Store, m *metrics.Metrics, log *slog.Logger, reports bot.Middleware) bot.HandlerFunc {
	return bot.Chain(bot.Answer(state.current, st, 0, nil),
		bot.Recover(log), bot.Log(log), m.Middleware(), bot.Dedup(st, 0), bot.MaxInFlight(64), bot.Timeout(30*time.Second), reports)
}

// platforms is what wirePlatforms set up: the reminder senders by chat
// name, long-running connections, and what to wait for at shutdown.
type platforms struct {
	outbox   *bot.Outbox
	runners  []func(context.Context) error
	waiters  []func()
	shutdown func()
	longconn *longconn.Client // the WeCom long connection, when configured
	cards    cardPlatforms    // what card routes use (cards_wiring.go)
}

// wirePlatforms mounts the configured inbound callbacks on srv and builds
// the outbound senders of the configured chats.
// replay remembers accepted callback signatures (bot.ReplayGuard).
func wirePlatforms(ctx context.Context, cfg *config, chain bot.HandlerFunc, replay *bot.ReplayGuard, srv *bot.Server, m *metrics.Metrics, log *slog.Logger) (*platforms, error) {
	p := &platforms{outbox: &bot.Outbox{}}
	p.shutdown = func() {
		for _, w := range p.waiters {
			w()
		}
	}
	wc := cfg.WeCom
	var app *wecom.App
	if wc.CorpID != "" && wc.App.Secret != "" {
		a, err := wecom.NewApp(wecom.AppConfig{CorpID: wc.CorpID, AgentID: wc.App.AgentID, Secret: wecom.Secret(wc.App.Secret), BaseURL: wc.APIBaseURL})
		if err != nil {
			return nil, fmt.Errorf("wecom.app: %w", err)
		}
		app = a
		p.cards.app = a
	}
	if wc.App.Token != "" {
		cc := wecom.CallbackConfig{CorpID: wc.CorpID, Token: wecom.Secret(wc.App.Token), EncodingAESKey: wecom.Secret(wc.App.EncodingAESKey), Logger: log, Replay: replay}
		if app != nil {
			cc.Async = app // answers that miss WeCom's 5 s go out as app messages
		}
		cb, err := wecom.NewCallback(cc, chain)
		if err != nil {
			return nil, fmt.Errorf("wecom.app: %w", err)
		}
		p.cards.appCB = cb
		srv.Handle(wc.App.Path, cb)
		p.waiters = append(p.waiters, cb.Wait)
		log.Info("wecom app callback", "path", wc.App.Path)
	}
	if wc.AIBot.Token != "" {
		cb, err := wecom.NewAIBotCallback(wecom.AIBotConfig{Token: wecom.Secret(wc.AIBot.Token), EncodingAESKey: wecom.Secret(wc.AIBot.EncodingAESKey), Logger: log, Replay: replay}, chain)
		if err != nil {
			return nil, fmt.Errorf("wecom.aibot: %w", err)
		}
		p.cards.aibotCB = cb
		srv.Handle(wc.AIBot.Path, cb)
		p.waiters = append(p.waiters, cb.Wait)
		log.Info("wecom aibot callback", "path", wc.AIBot.Path)
	}
	dc := cfg.DingTalk
	if dc.Robot.AppSecret != "" {
		rb, err := dingtalk.NewRobot(dingtalk.RobotConfig{AppSecret: dingtalk.Secret(dc.Robot.AppSecret), BaseURL: dc.APIBaseURL, Logger: log, Replay: replay}, chain)
		if err != nil {
			return nil, fmt.Errorf("dingtalk.robot: %w", err)
		}
		srv.Handle(dc.Robot.Path, rb)
		p.waiters = append(p.waiters, func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_ = rb.Shutdown(ctx)
		})
		log.Info("dingtalk robot callback", "path", dc.Robot.Path)
	}
	if err := wireConnections(cfg, chain, srv, m, log, p); err != nil {
		return nil, err
	}
	for i, ch := range cfg.Chats {
		s, err := chatSender(cfg, ch, app, p)
		s = cfg.links.wrap(ch, s) // links.go
		if err == nil && s != nil {
			// A card route's digests carry buttons, not links (cards_wiring.go).
			s, err = withCards(cfg, ch, s, p)
		}
		if err != nil {
			return nil, fmt.Errorf("chats[%d] (%s): %w", i, ch.Name, err)
		}
		if s != nil {
			p.outbox.Add(ch.Name, s)
		}
	}
	return p, nil
}

// chatSender builds the sender of one reminder chat, as its type says
// (chattypes.go).
func chatSender(cfg *config, ch chatConfig, app *wecom.App, p *platforms) (bot.Sender, error) {
	t, ok := chatTypes[ch.Type]
	if !ok {
		return nil, fmt.Errorf("type %q: unknown", ch.Type)
	}
	return t.sender(cfg, ch, app, p)
}
