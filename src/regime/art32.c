/* art32.c: the entries of the 別表 of DataProvisionRules (the 特殊法人・認可法人 that HQ may ask
 * for materials under Act 32(1)), per version, in table order, and the queries on them.
 *
 * The registry keeps each body's listing intervals; these tables let it (and the tests) hold
 * those intervals against the seed: the amendment adds J-LIS and five public-pension bodies,
 * drops 九州旅客鉄道 and 中部国際空港, and rewords four entries (renames below). */
#include <string.h>

#include "core/common.h"
#include "regime/regime_impl.h"

/* 現行 column of the comparison table (2015-02-10): 48 entries. */
const char *const regime_art32_2015[] = {
	"沖縄振興開発金融公庫",
	"学校法人沖縄科学技術大学院大学学園",
	"株式会社地域経済活性化支援機構",
	"原子力損害賠償支援機構",
	"銀行等保有株式取得機構",
	"預金保険機構",
	"株式会社東日本大震災事業者再生支援機構",
	"日本放送協会",
	"日本電信電話株式会社",
	"東日本電信電話株式会社",
	"西日本電信電話株式会社",
	"日本郵政株式会社",
	"日本郵便株式会社",
	"日本たばこ産業株式会社",
	"株式会社日本政策金融公庫",
	"株式会社日本政策投資銀行",
	"輸出入・港湾関連情報処理センター株式会社",
	"株式会社国際協力銀行",
	"日本銀行",
	"公立学校共済組合",
	"日本私立学校振興・共済事業団",
	"放送大学学園",
	"日本年金機構",
	"日本赤十字社",
	"健康保険組合連合会",
	"全国健康保険協会",
	"国民年金基金連合会",
	"日本中央競馬会",
	"農水産業協同組合貯金保険機構",
	"株式会社商工組合中央金庫",
	"日本アルコール産業株式会社",
	"株式会社産業革新機構",
	"海外需要開拓支援機構",
	"北海道旅客鉄道株式会社",
	"四国旅客鉄道株式会社",
	"九州旅客鉄道株式会社",
	"日本貨物鉄道株式会社",
	"東京地下鉄株式会社",
	"成田国際空港株式会社",
	"東日本高速道路株式会社",
	"中日本高速道路株式会社",
	"西日本高速道路株式会社",
	"首都高速道路株式会社",
	"阪神高速道路株式会社",
	"本州四国連絡高速道路株式会社",
	"新関西国際空港株式会社",
	"中部国際空港株式会社",
	"日本環境安全事業株式会社",
};
const size_t regime_art32_2015_count = CSHQ_ARRAY_LEN(regime_art32_2015);

/* Amended table (full text, 資料２－５): 52 entries. */
const char *const regime_art32_2016[] = {
	"沖縄振興開発金融公庫",
	"沖縄科学技術大学院大学学園",
	"株式会社地域経済活性化支援機構",
	"原子力損害賠償・廃炉等支援機構",
	"銀行等保有株式取得機構",
	"預金保険機構",
	"株式会社東日本大震災事業者再生支援機構",
	"地方公共団体情報システム機構",
	"地方公務員共済組合連合会",
	"地方職員共済組合",
	"都職員共済組合",
	"全国市町村職員共済組合連合会",
	"日本放送協会",
	"日本電信電話株式会社",
	"東日本電信電話株式会社",
	"西日本電信電話株式会社",
	"日本郵政株式会社",
	"日本郵便株式会社",
	"日本たばこ産業株式会社",
	"株式会社日本政策金融公庫",
	"株式会社日本政策投資銀行",
	"輸出入・港湾関連情報処理センター株式会社",
	"株式会社国際協力銀行",
	"日本銀行",
	"国家公務員共済組合連合会",
	"公立学校共済組合",
	"日本私立学校振興・共済事業団",
	"放送大学学園",
	"日本年金機構",
	"日本赤十字社",
	"健康保険組合連合会",
	"全国健康保険協会",
	"国民年金基金連合会",
	"日本中央競馬会",
	"農水産業協同組合貯金保険機構",
	"株式会社商工組合中央金庫",
	"日本アルコール産業株式会社",
	"株式会社産業革新機構",
	"株式会社海外需要開拓支援機構",
	"北海道旅客鉄道株式会社",
	"四国旅客鉄道株式会社",
	"日本貨物鉄道株式会社",
	"東京地下鉄株式会社",
	"成田国際空港株式会社",
	"東日本高速道路株式会社",
	"中日本高速道路株式会社",
	"西日本高速道路株式会社",
	"首都高速道路株式会社",
	"阪神高速道路株式会社",
	"本州四国連絡高速道路株式会社",
	"新関西国際空港株式会社",
	"中間貯蔵・環境安全事業株式会社",
};
const size_t regime_art32_2016_count = CSHQ_ARRAY_LEN(regime_art32_2016);

/* Entries the amendment rewords (same body, new name): {current wording, amended wording}. */
static const char *const renames[][2] = {
	{"学校法人沖縄科学技術大学院大学学園", "沖縄科学技術大学院大学学園"},
	{"原子力損害賠償支援機構", "原子力損害賠償・廃炉等支援機構"},
	{"海外需要開拓支援機構", "株式会社海外需要開拓支援機構"},
	{"日本環境安全事業株式会社", "中間貯蔵・環境安全事業株式会社"},
};

const char *const *regime_art32_table(int32_t date, size_t *count)
{
	if (regime_amended_on(date)) {
		*count = regime_art32_2016_count;
		return regime_art32_2016;
	}
	*count = regime_art32_2015_count;
	return regime_art32_2015;
}

bool regime_art32_lists(const char *name_ja, int32_t date)
{
	size_t n;
	const char *const *t = regime_art32_table(date, &n);

	if (!name_ja)
		return false;
	for (size_t i = 0; i < n; i++)
		if (strcmp(t[i], name_ja) == 0)
			return true;
	return false;
}

const char *regime_art32_other_name(const char *name_ja)
{
	if (!name_ja)
		return NULL;
	for (size_t i = 0; i < CSHQ_ARRAY_LEN(renames); i++) {
		if (strcmp(renames[i][0], name_ja) == 0)
			return renames[i][1];
		if (strcmp(renames[i][1], name_ja) == 0)
			return renames[i][0];
	}
	return NULL;
}
