package longconn_test

import (
	"context"
	"log"
	"os"

	"duban/bot"
	"duban/bot/wecom/longconn"
	"duban/handlers"
)

// The long connection answers @-mentions without a callback URL, and a
// ChatSender pushes reminders to a group that has the bot.
func ExampleNew() {
	answer := func(ctx context.Context, m *bot.Message) (handlers.Reply, error) {
		return handlers.Reply{Head: "收到：" + m.Text}, nil
	}
	c, err := longconn.New(longconn.Config{
		BotID:  os.Getenv("WECOM_AIBOT_ID"),
		Secret: longconn.Secret(os.Getenv("WECOM_AIBOT_SECRET")),
	}, answer)
	if err != nil {
		log.Fatal(err)
	}
	go c.Run(context.Background())
	var reminders bot.Sender = longconn.ChatSender{Client: c, ChatID: "wrkGroupChatID"}
	_ = reminders
}
