package dingtalk_test

import (
	"context"
	"errors"
	"log"
	"net/http"
	"os"

	"duban/bot"
	"duban/bot/dingtalk"
	"duban/handlers"
)

// A robot in HTTP mode is an http.Handler mounted at the path entered as
// the robot's 消息接收地址.
func ExampleNewRobot() {
	answer := func(ctx context.Context, m *bot.Message) (handlers.Reply, error) {
		return handlers.Reply{Head: "收到：" + m.Text}, nil
	}
	rb, err := dingtalk.NewRobot(dingtalk.RobotConfig{
		AppSecret: dingtalk.Secret(os.Getenv("DINGTALK_APP_SECRET")),
	}, answer)
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("POST /dingtalk/robot", rb)
}

// A custom robot webhook is a bot.Sender; errors say whether to retry.
func ExampleWebhook_Send() {
	w, err := dingtalk.NewWebhook(dingtalk.WebhookConfig{
		AccessToken: dingtalk.Secret(os.Getenv("DINGTALK_TOKEN")),
		Secret:      dingtalk.Secret(os.Getenv("DINGTALK_SECRET")),
	})
	if err != nil {
		log.Fatal(err)
	}
	err = w.Send(context.Background(), handlers.Reply{Head: "3项任务本周到期", Mentions: []string{"13800000000"}})
	var api *dingtalk.APIError
	switch {
	case errors.As(err, &api) && api.RateLimited():
		// pause this robot for 10 minutes
	case err != nil:
		var re bot.RetryableError
		if errors.As(err, &re) && re.Retryable() {
			// try again later
		}
	}
}
