// Package dashboard serves the supervision dashboard (督办看板) of `duban
// serve`: every unit's standing at a glance, for any day. Its data are the
// knowledge base's task records, the status journal (progress) and, where
// wired, the reminder ledger; its colours and rates are progress.LightOf
// and progress.Completion, the one definition the reminders share.
//
// The pages are rendered on the server (html/template, inline SVG charts),
// embedded in the binary with their stylesheet and a few lines of optional
// script: nothing is fetched from outside, and the page works without
// JavaScript in old browsers. Chinese text uses a CJK font stack (PingFang,
// YaHei, WenQuanYi, Noto CJK).
//
// # Pages
//
// Under Config.Prefix (default /dashboard):
//
//	/                    overview: tiles, completion by month, due dates ahead, units and leaders by light
//	/timeline            calendar strip by due month, and the task list
//	/task/{table}/{no}   one task: the record and its source, its journal, reminders, the bot's answer
//	/report              the 通报: completion by unit and red tasks by unit, A4, prints to PDF
//	/export.xlsx         the current view as a workbook (tasks, units)
//	/export.csv          the current view's tasks as CSV (UTF-8 with BOM)
//
// Every page, export and endpoint takes the same query parameters:
// asof=2020-12-20 (the day to look at, default today in Asia/Shanghai;
// statuses are the journal folded up to the end of that day), table,
// section, unit (lead unit, aliases allowed), leader (a task's 牵头领导 or
// a leader who 分管 one of its lead units, from the division of labour),
// light (red, yellow, green, done, undated) and sort (behind, rate,
// overdue, red, yellow, total, name; default behind: most overdue, then
// lowest rate, first).
//
// # JSON endpoints
//
// For a county's own 大屏; the same view as the pages.
//
//	GET /api/board       {"as_of", "filter", "total", "units": [Group], "leaders": [Group],
//	                      "months": [{"month":"2020-08","due","done"}],
//	                      "ahead": {"this_month","next_month","this_quarter","by_month":[…]}}
//	GET /api/tasks       {"as_of", "count", "tasks": [Task]}, by due date, the worst light first
//	GET /api/task/{table}/{no}
//	                     {"as_of", "task": Task, "table_title", "cite", "history": [HistoryRow],
//	                      "later", "ledger", "reminders": [Reminder], "question", "answer"}
//
// A Group is {"name", "lights": {"red":n,…}, "total", "done", "due",
// "overdue", "rate"}: due counts tasks due by the day or finished, rate is
// done/due in percent (null when nothing was due). A Task is the record
// (table, no, section, text, lead_leaders, lead_units, co_units,
// overseers, deadline_text, due, source) with days_left, light, state,
// note, extension, reported_by and reported_at at the as-of day.
//
// # Access
//
// With Config.Token set, every request needs it: as ?token=… once (the
// answer sets an HttpOnly, SameSite=Strict cookie scoped to the
// dashboard's path and redirects to the same address without the token),
// or as Authorization: Bearer … (scripts, the 大屏). Anything else gets
// 401. With no token, only loopback requests are served (the peer and the
// Host header are loopback and no forwarding header is present, since a
// local reverse proxy connects from loopback for everyone); anything else
// gets 403.
//
// Behind a reverse proxy that maps https://host/duban/ to duban's /, the
// pages work unchanged: every link is relative, and the cookie's path
// takes the proxy's X-Forwarded-Prefix in front of Config.Prefix. There
// is one role, read-only: approving claims from the page (a reviewer role)
// is a follow-up.
package dashboard
