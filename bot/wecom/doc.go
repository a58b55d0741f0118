// Package wecom connects duban to WeCom (企业微信): the self-built app
// callback (encrypted XML, passive reply or a later app message), the
// 智能机器人 callback (encrypted JSON, @-mentions in groups), and the
// outbound senders (group-robot webhook, app message to users, appchat).
//
// The wire formats and the silenceper/wechat v2.1.14 caveats this package
// works around are in ../shared/PROTOCOLS.md §1–§3 and §6. Crypto uses
// silenceper's util (Signature, AESDecryptMsg, EncryptMsg) except where it
// is wrong: the AI bot's empty receive id needs its own decryptor.
package wecom
