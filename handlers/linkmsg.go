package handlers

// The sentences of the one-tap link page (bot/linkpage), composed here
// with the rest of what officials read.

// LinkInvalid refuses a forged or damaged link.
func LinkInvalid() string { return "链接无效" }

// LinkExpired refuses a link past its time.
func LinkExpired() string {
	return "链接已过期，请在最新的提醒里重新点击，或在群里直接报告"
}

// LinkUsed refuses a link confirmed before.
func LinkUsed() string { return "此链接已使用过，不能重复提交" }

// LinkNeedName asks for the reporter's name.
func LinkNeedName() string { return "请填写您的姓名（20字以内）。" }

// LinkNeedDate asks for the date an extension is requested to.
func LinkNeedDate() string { return "请填写申请延期到的日期，例如“10月底”。" }

// LinkStoreDown says a confirmation was not recorded for a store failure.
func LinkStoreDown() string { return "系统存储暂时不可用，未记录，请稍后再试" }

// LinkFailed says a confirmation failed otherwise.
func LinkFailed() string { return "处理失败，请稍后再试" }

// SandboxLine ends every report the emulator recorded or withdrew: it
// went to the emulator's sandbox, not the 台账.
const SandboxLine = "（模拟器沙盒：只记在本模拟器内存中，不进真实台账、提醒和导出，重启后清空）"
