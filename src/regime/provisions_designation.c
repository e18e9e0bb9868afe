/* provisions_designation.c: Designation (基本法第13条の規定に基づき戦略本部が指定する法人（指定法人）について), 2016:
 * the four criteria ①-④ and the nine corporations designated. The paper is a slide: "…" marks
 * where the quote skips other text of the slide (a criterion and its note are apart).
 *
 * A fragment of the one provision table: provisions.c includes it inside the initializer of
 * regime_provision_rows[] so that regime_provisions() hands out one contiguous array without
 * allocating. It is not compiled on its own.
 *
 * Each row quotes the seed verbatim with the line breaks of the PDF extraction removed
 * (tests/unit/regime checks every row against tests/data/seed). Where a 現行 column runs over a
 * page of the comparison table, the two pieces are joined (listed in tests/unit/regime/joins.tsv). */
#include "core/common.h" /* already included by provisions.c: a no-op, kept for the project rule */
#ifndef REGIME_PROVISIONS_FRAGMENT
#error "provisions_*.c are fragments of provisions.c"
#endif

	{"Designation", "2016", "前文", 0, 0,
	 "特殊法人・認可法人は、その行う業務や保有する情報も様"
	 "々であることから、当該法人におけるサイバーセキュリテ"
	 "ィが確保されない場合に生ずる国民生活又は経済活動に及"
	 "ぼす影響を勘案して、サイバーセキュリティ戦略本部が指定。"},
	{"Designation", "2016", "1", 0, 0,
	 "①国の業務との一体性"},
	{"Designation", "2016", "2", 0, 0,
	 "②保有情報の機微性、業務の国民生活・経済活動へ与える影響"},
	{"Designation", "2016", "3", 0, 0,
	 "③法人の自主的な対策のみに委ねることの適切性…※自主"
	 "的な対策に委ねた場合に必要な対策が講じられず、重大か"
	 "つ深刻な事象を発生させた、又は発生させるおそれがあること"},
	{"Designation", "2016", "4", 0, 0,
	 "④NISCの知見・能力の活用可能性…※（NISCが行"
	 "ってきた）インターネット接続口にセンサーを設置した監"
	 "視による実効性あるセキュリティ対策が図られること）"},
	{"Designation", "2016", "指定", 0, 0,
	 "公的年金関係\n"
	 "日本年金機構\n"
	 "地方公務員共済組合連合会\n"
	 "地方職員共済組合\n"
	 "都職員共済組合\n"
	 "マイナンバー関係\n"
	 "地方公共団体情報システム機構\n"
	 "以下の法人を指定…全国市町村職員共済組合連合会\n"
	 "国家公務員共済組合連合会\n"
	 "日本私立学校振興・共済事業団\n"
	 "公立学校共済組合"},
