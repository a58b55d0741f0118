package dingtalk_test

import (
	"context"
	"log"
	"os"

	"duban/bot"
	"duban/bot/dingtalk"
	"duban/handlers"
)

// Stream mode needs no public URL: Run keeps an outbound connection to
// DingTalk and answers through each message's sessionWebhook. Put
// bot.Dedup in the chain so a redelivered message is answered once.
func ExampleNewStream() {
	answer := func(ctx context.Context, m *bot.Message) (handlers.Reply, error) {
		return handlers.Reply{Head: "收到：" + m.Text}, nil
	}
	s, err := dingtalk.NewStream(dingtalk.StreamConfig{
		ClientID:     os.Getenv("DINGTALK_CLIENT_ID"),
		ClientSecret: dingtalk.Secret(os.Getenv("DINGTALK_CLIENT_SECRET")),
		OnState: func(state string) {
			log.Printf("dingtalk stream %s", state) // or a connection_up gauge
		},
	}, answer)
	if err != nil {
		log.Fatal(err)
	}
	go s.Run(context.Background())
	_ = s.Check // for bot.Server.AddCheck("dingtalk_stream", s.Check)
}
