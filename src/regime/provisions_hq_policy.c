/* provisions_hq_policy.c: HQPolicy (我が国のサイバーセキュリティ推進体制の更なる機能強化に関する方針, HQ decision of
 * 2016-01-25), section (4) as 参考２ of the seed quotes it: recommendations to a ministry head
 * on critical-infrastructure operators. Article "4" = (４).
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

	{"HQPolicy", "2016", "4", 0, 0,
	 "その際、基本法により設けられた仕組みを、適切に運用す"
	 "ることとする。具体的には、本部長は、本部が行う関係行"
	 "政機関における重要インフラ事業者等に関する施策に対す"
	 "る評価に基づき、又は本部が関係行政機関の長を通じて入"
	 "手した重要インフラ事業者等に係る資料又は情報等に基づ"
	 "き、必要があると認めるときは、関係行政機関の長への勧"
	 "告を行う。当該勧告は、あくまで各業法等に基づく重要イ"
	 "ンフラ事業者等に対する所管大臣等の監督等の権限を適切"
	 "に行使させることを目的に運用されるものであり、その範"
	 "囲において、本部及びＮＩＳＣは関係行政機関と連携しつ"
	 "つ、重要インフラ事業者等における迅速かつ自主的な取組"
	 "を促進していくこととする。"},
