/* provisions_overview.c: Overview: page 1 of the seed (改正法の施行), which shows the scope the amendment widens
 * (監視・監査・原因究明調査: 中央省庁 under the current law, extended to IAIs and designated
 * corporations) and the delegation to IPA. Cited where the pre-amendment Act would be, because
 * the seed has no pre-amendment text of the Act.
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

	{"Overview", "2016", "1", 1, 0,
	 "中央省庁 独立行政法人 特殊法人・認可法人\n"
	 "現行法\n"
	 "現行法\n"
	 "現行法\n"
	 "拡大\n"
	 "拡大\n"
	 "拡大\n"
	 "監視（GSOC）\n"
	 "監査\n"
	 "原因究明調査"},
	{"Overview", "2016", "1", 2, 0,
	 "国が行う不正な通信の監視、監査、原因究明調査等の対象範囲を拡大"},
	{"Overview", "2016", "1", 3, 0,
	 "サイバーセキュリティ戦略本部の一部事務を独立行政法人"
	 "情報処理推進機構（IPA）に委託"},
