package wecomtest

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// TextMessage is the decrypted XML of a member's text message to an app
// (path/90239), with newlines between elements as WeCom sends it.
func TextMessage(corpID, fromUser, content, msgID string, agentID int64, at time.Time) []byte {
	return fmt.Appendf(nil, "<xml><ToUserName><![CDATA[%s]]></ToUserName>\n<FromUserName><![CDATA[%s]]></FromUserName>\n"+
		"<CreateTime>%d</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[%s]]></Content>\n"+
		"<MsgId>%s</MsgId>\n<AgentID>%d</AgentID>\n</xml>",
		corpID, fromUser, at.Unix(), strings.ReplaceAll(content, "]]>", "]]]]><![CDATA[>"), msgID, agentID)
}

// EventMessage is a decrypted event callback (no MsgId).
func EventMessage(corpID, fromUser, event string, agentID int64, at time.Time) []byte {
	return fmt.Appendf(nil, "<xml><ToUserName><![CDATA[%s]]></ToUserName><FromUserName><![CDATA[%s]]></FromUserName>"+
		"<CreateTime>%d</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[%s]]></Event><AgentID>%d</AgentID></xml>",
		corpID, fromUser, at.Unix(), event, agentID)
}

// AIBotText is the decrypted JSON of a text message to an AI bot
// (path/100719). chatID "" makes a single chat. In a group, WeCom puts
// "@BotName" before the text; pass it in content.
func AIBotText(msgID, chatID, userID, content, responseURL string) []byte {
	m := map[string]any{
		"msgid": msgID, "aibotid": "AIBOTID", "chattype": "single",
		"from": map[string]string{"userid": userID}, "response_url": responseURL,
		"msgtype": "text", "text": map[string]string{"content": content},
	}
	if chatID != "" {
		m["chattype"], m["chatid"] = "group", chatID
	}
	b, _ := json.Marshal(m)
	return b
}
