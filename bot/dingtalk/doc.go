// Package dingtalk connects duban to DingTalk (钉钉).
//
// # Inbound: the enterprise robot in HTTP mode
//
// [Robot] is the http.Handler behind the robot's 消息接收地址. It checks the
// signed timestamp and sign headers, parses the message JSON, passes the
// question to a [bot.HandlerFunc] and answers as markdown in the HTTP
// response when the handler is quick, or later through the message's
// sessionWebhook ([ReplySession]) when it is not.
//
// # Outbound: the custom group robot
//
// [Webhook] is a [bot.Sender] for a custom robot (自定义机器人) webhook with
// the 加签 signature. Platform refusals come back as [*APIError], network
// failures as [*TransportError]; both say whether a retry may help.
//
// Protocol details and their sources are in ../shared/PROTOCOLS.md §4, §5
// and §7.4 (test vectors).
package dingtalk
