// Package mcp serves duban's exact, cited answers as Model Context Protocol
// tools, so that an LLM assistant (Dify, MaxKB, Cherry Studio, Claude
// Desktop …) answers "who leads task 76" from the task tables instead of
// from top-k chunks of them.
//
// Every tool is read-only, takes typed arguments and returns structured
// output in which each record carries its source (file, line, table, row).
// Names go through the bot's own canonicalisation (交通运输局 is 交通局); a
// name the documents do not hold is answered with a not-found and up to
// three candidates, never with a guess.
//
// The same Server speaks over stdio (`duban mcp`) and Streamable HTTP
// (`/mcp` in `duban serve`, behind a bearer token).
package mcp
