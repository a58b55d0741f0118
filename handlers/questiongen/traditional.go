package questiongen

import "strings"

// s2t maps the simplified characters of officials' questions and the
// documents' names to their traditional forms: enough to write every
// generated question in 繁體 as a colleague from Hong Kong or Taiwan
// would, without a converter dependency. Pairs, two runes each.
const s2t = "请請问問麻麻烦煩帮幫查查谁誰头頭领領导導单單协協调調时時候候进進展展况況过過样樣这這个個项項务務实實为為办辦" +
	"南南通通号號几幾哪哪负負责責门門归歸区區联聯系繫镇鎮标標专專栏欄内內容容讲講具具体體现現间間限限截截止止" +
	"么麼度度发發业業开開么麼规規划劃经經济濟会會议議长長员員财財审審计計统統环環境境农農资資源源卫衛健健" +
	"医醫疗療养養园園县縣乡鄉镇鎮设設建建筑築运運输輸铁鐵轨軌桥橋车車站站场場馆館图圖书書报報纸紙电電视視" +
	"网網络絡数數据據库庫户戶口口么麼级級类類处處罚罰监監测測质質检檢验驗应應急急灾災难難险險护護厅廳局局" +
	"委委会會党黨组組织織宣宣传傳纪紀检檢政政法法军軍警警边邊关關税稅银銀行行贷貸款款币幣价價钱錢质質量量" +
	"产產品品销銷售售贸貿易易货貨物物仓倉储儲转轉换換齐齊备備动動态態举舉办辦请請谢謝辛辛苦苦啊啊嗯嗯那那" +
	"吗嗎呢呢吧吧该該还還没沒有有对對错錯给給让讓说說话話听聽见見觉覺认認识識记記忆憶读讀写寫学學习習练練" +
	"东東西西北北广廣州州苏蘇浙浙沪滬汉漢湾灣岛島厂廠钢鋼铁鐵机機器器绿綠色色环環节節约約创創新新兴興旧舊" +
	"赛賽节節庆慶节節礼禮众眾帅帥罗羅陈陳张張刘劉杨楊黄黃赵趙吴吳周周徐徐孙孫马馬朱朱胡胡郭郭何何高高林林" +
	"范范沈沈韩韓杰傑华華龙龍凤鳳丽麗红紅军軍伟偉强強勇勇敏敏兵兵静靜瑞瑞涯涯东東旭旭敢敢劳勞剑劍施施茅茅" +
	"门門户戶扶扶贫貧低低补補贴貼残殘联聯妇婦儿兒童童劳勞动動卫衛生生殡殯葬葬养養老老营營业業执執照照证證" +
	"项項目目万萬亿億元元亩畝吨噸条條里裡后後台臺面面干幹几幾么麼于於与與从從众眾体體优優质質乐樂亲親爱愛" +
	"牵牽预預辅輔块塊响響顾顧严嚴宽寬龄齡迁遷签簽档檔阶階纲綱续續须須额額频頻页頁顶頂风風飞飛饮飲驱驅鱼魚鸟鳥" +
	"状狀态態兑兌现現总總计計划劃项項达達标標准準确確认認签簽订訂约約绩績效效考考核核评評价價验驗收收"

var s2tMap = func() map[rune]rune {
	m := map[rune]rune{}
	rs := []rune(s2t)
	for i := 0; i+1 < len(rs); i += 2 {
		m[rs[i]] = rs[i+1]
	}
	return m
}()

// Traditional writes s in traditional characters as far as the table
// knows them; other characters stay.
func Traditional(s string) string {
	return strings.Map(func(r rune) rune {
		if t, ok := s2tMap[r]; ok {
			return t
		}
		return r
	}, s)
}
