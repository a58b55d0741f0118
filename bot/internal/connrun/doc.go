// Package connrun runs an outbound connection that duban keeps open to a
// platform (the DingTalk Stream gateway, the WeCom 智能机器人 long
// connection): dial, serve until the connection ends, wait with jittered
// exponential backoff, dial again; report each state; answer the messages
// the connection delivers on one bounded pool of workers.
//
// A platform package supplies only its frames, as a [Dial] that returns a
// [Conn]. Every connection closes the same way: when Run's context ends,
// the connection stops reading, the pool finishes the messages already
// accepted (their replies may need the connection), then the connection
// closes and Run returns.
package connrun
