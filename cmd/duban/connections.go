package main

import (
	"fmt"
	"log/slog"

	"duban/bot"
	"duban/bot/dingtalk"
	"duban/bot/metrics"
	"duban/bot/wecom/longconn"
	"duban/scheduler"
)

// wireConnections starts the outbound-only modes (DingTalk Stream, WeCom
// 智能机器人 long connection) for deployments without a public address.
func wireConnections(cfg *config, chain bot.HandlerFunc, srv *bot.Server, m *metrics.Metrics, log *slog.Logger, p *platforms) error {
	up := func(name string) func(string) {
		return func(state string) {
			m.SetConnectionUp(name, state == bot.ConnConnected)
			log.Info("connection state", "connection", name, "state", state)
		}
	}
	if st := cfg.DingTalk.Stream; st.ClientID != "" {
		s, err := dingtalk.NewStream(dingtalk.StreamConfig{
			ClientID: st.ClientID, ClientSecret: dingtalk.Secret(st.ClientSecret),
			OpenAPIBaseURL: cfg.DingTalk.OpenAPIBaseURL, BaseURL: cfg.DingTalk.APIBaseURL,
			OnState: up("dingtalk_stream"), Logger: log,
		}, chain)
		if err != nil {
			return fmt.Errorf("dingtalk.stream: %w", err)
		}
		srv.AddCheck("dingtalk_stream", s.Check)
		p.runners = append(p.runners, s.Run)
		p.cards.stream = s
	}
	if lc := cfg.WeCom.AIBot.LongConnection; lc.BotID != "" {
		c, err := longconn.New(longconn.Config{BotID: lc.BotID, Secret: longconn.Secret(lc.Secret), URL: lc.URL, OnState: up("wecom_aibot_long"), Logger: log}, chain)
		if err != nil {
			return fmt.Errorf("wecom.aibot.long_connection: %w", err)
		}
		srv.AddCheck("wecom_aibot_long", c.Check)
		p.runners = append(p.runners, c.Run)
		p.longconn = c
	}
	return nil
}

// aibotSender pushes reminders to a group through the long connection.
func aibotSender(p *platforms, chatID string) (bot.Sender, error) {
	if p.longconn == nil {
		return nil, fmt.Errorf("type %s needs wecom.aibot.long_connection", typeWeComAIBot)
	}
	return longconn.ChatSender{Client: p.longconn, ChatID: chatID}, nil
}

// observeReminder counts scheduler events in the Prometheus metrics.
func observeReminder(m *metrics.Metrics, e scheduler.Event) {
	switch e.Kind {
	case scheduler.EventSent:
		for i := 0; i < max(e.Tasks, 1); i++ {
			m.ReminderSent(e.Chat)
		}
	case scheduler.EventRetried:
		m.ReminderRetried(e.Chat)
	case scheduler.EventFailed:
		m.ReminderFailed(e.Chat)
	case scheduler.EventRateWait:
		m.RateLimitWaited(e.Chat)
	case scheduler.EventRateLimited:
		m.RateLimitRefused(e.Chat)
	}
}
