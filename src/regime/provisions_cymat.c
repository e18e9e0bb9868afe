/* provisions_cymat.c: CymatRules (情報セキュリティ緊急支援チーム（CYMAT）の運営等について): "2014" is the
 * current text as the comparison table gives it (made 2012-06-20, amended 2014-09-26 and
 * 2016-08-09), "2016" the amendment of 2016-10 (full text). Items ア/イ/ウ/エ are 1/2/3/4.
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

	{"CymatRules", "2016", "1", 0, 0,
	 "サイバー攻撃等により政府機関等の情報システム障害が発"
	 "生した場合又はその発生のおそれがある場合であって、政"
	 "府として一体となった対応が必要となる情報セキュリティ"
	 "に係る事象に対して機動的な支援を行うため、内閣官房内"
	 "閣サイバーセキュリティセンター（以下「NISC」とい"
	 "う。）に設置される情報セキュリティ緊急支援チーム（C"
	 "yber Incident Mobile Assis"
	 "tance Team、以下「CYMAT」という。）の"
	 "運営等について、以下の事項を申し合わせる。"},
	{"CymatRules", "2016", "2", 0, 0,
	 "CYMATの活動において支援の対象とする機関等（以下"
	 "「支援対象機関等」という。）は、次に掲げるものとする。"},
	{"CymatRules", "2016", "2", 0, 1,
	 "法律の規定に基づき内閣に置かれる機関若しくは内閣の所"
	 "轄の下に置かれる機関、宮内庁、内閣府設置法（平成11"
	 "年法律第89号）第49条第１項若しくは第２項に規定す"
	 "る機関、国家行政組織法（昭和23年法律第120号）第"
	 "３条第２項に規定する機関又はこれらに置かれる機関（以"
	 "下「政府機関」という。）"},
	{"CymatRules", "2016", "2", 0, 2,
	 "サイバーセキュリティ対策推進会議オブザーバー参加機関"
	 "（以下「オブザーバー参加機関」という。）"},
	{"CymatRules", "2016", "2", 0, 3,
	 "独立行政法人又はサイバーセキュリティ基本法（平成26"
	 "年法律第104号）第13条に規定する指定法人（以下「"
	 "独立行政法人等」という。）"},
	{"CymatRules", "2016", "2", 0, 4,
	 "政府機関、オブザーバー参加機関又は独立行政法人等へク"
	 "ラウドサービスを提供している事業者、政府機関、オブザ"
	 "ーバー参加機関又は独立行政法人等へ意図せずにサイバー"
	 "攻撃を行っている電子計算機を管理している事業者その他"
	 "の政府機関、オブザーバー参加機関又は独立行政法人等の"
	 "情報システムに関係するもののうち、10(1)又は(2"
	 ")に基づき要請された事象に直接関係するものであって、"
	 "CYMATによる支援を行う必要があるものと当該要請を"
	 "行った機関等が認めたもの（以下「直接関係者」という。）"},
	{"CymatRules", "2016", "3", 0, 0,
	 "CYMATの活動において支援の対象とする事象は、サイ"
	 "バー攻撃等により支援対象機関等の情報システム障害が発"
	 "生した場合又はその発生のおそれがある場合であって、政"
	 "府として一体となった対応が必要となる情報セキュリティ"
	 "に係る事象（以下「支援対象事象」という。）とする。"},
	{"CymatRules", "2016", "4", 1, 0,
	 "政府CISOであるNISCセンター長（以下「統括責任"
	 "者」という。）は、CYMATの運用に関する事務を統括する。"},
	{"CymatRules", "2016", "4", 2, 0,
	 "NISC副センター長（以下「統括副責任者」という。）"
	 "は、必要に応じ、統括責任者を補佐する。また、統括責任"
	 "者と連絡がとれず、かつ、急を要する場合は、統括副責任"
	 "者が統括責任者の職務を行う。"},
	{"CymatRules", "2016", "7", 1, 0,
	 "政府機関及びオブザーバー参加機関は、事象対策（事象の"
	 "正確な把握、被害拡大防止、復旧、原因調査及び再発防止"
	 "をいう。以下同じ。）に関する能力の向上又は要員候補者"
	 "の育成等のため、CYMATの活動として実施される研修"
	 "又は訓練に参加させる者（政府機関又はオブザーバー参加"
	 "機関において、常時勤務に服することを要する者に限る。"
	 "）を、研修員としてNISCに登録することができる。な"
	 "お、政府機関が研修員を登録することができる期間は、当"
	 "分の間とする。"},
	{"CymatRules", "2016", "7", 2, 0,
	 "政府機関及びオブザーバー参加機関は、CYMATに対し"
	 "、当該機関が登録した研修員の研修又は訓練への参加を申"
	 "し出ることができる。この場合、研修及び訓練に必要な経"
	 "費の負担は、研修員を登録した当該機関に求める。"},
	{"CymatRules", "2016", "8", 1, 0,
	 "各政府機関からNISCへ要員候補者として推薦する者の"
	 "数は６名を上限とし、原則として１名以上とする。"},
	{"CymatRules", "2016", "8", 2, 0,
	 "当分の間、要員候補者を推薦することが困難な政府機関は"
	 "、少なくとも１名を研修員として登録する。なお、研修員"
	 "として登録する者の数と要員候補者として推薦する者の数"
	 "の合計は、各政府機関で６名以下とする。ただし、そのう"
	 "ち研修員として登録する者の数は４名以下とする。"},
	{"CymatRules", "2016", "8", 3, 0,
	 "各オブザーバー参加機関が研修員として登録する者の数は"
	 "、４名以下とする。"},
	{"CymatRules", "2016", "10", 1, 0,
	 "支援対象事象となりうる事象が発生した政府機関及びオブ"
	 "ザーバー参加機関は、CYMATに事象対策の支援を要請"
	 "することができる。"},
	{"CymatRules", "2016", "10", 2, 0,
	 "政府機関は、所管する独立行政法人等において支援対象事"
	 "象となりうる事象が発生した場合は、当該独立行政法人等"
	 "の要請を踏まえ、CYMATに事象対策の支援を要請する"
	 "ことができる。"},
	{"CymatRules", "2016", "10", 3, 0,
	 "10(1)又は(2)に基づく要請を行った政府機関及び"
	 "オブザーバー参加機関は、直接関係者において支援対象事"
	 "象となりうる事象が発生した場合は、当該直接関係者の要"
	 "請を踏まえ、CYMATに事象対策の支援を要請することができる。"},
	{"CymatRules", "2016", "10", 4, 0,
	 "10(1)から(3)に基づく政府機関及びオブザーバー"
	 "参加機関の要請は、当該機関の最高情報セキュリティ責任"
	 "者から統括責任者に対して行うことを原則とする。なお、"
	 "緊急時には、当該機関の組織内CSIRT（組織内CSI"
	 "RTが設置されていない場合は、該当システムに関連する"
	 "部署とする。）又は要員から管理責任者又は現場責任者に"
	 "対して要請することも可能とする。"},
	{"CymatRules", "2016", "11", 1, 0,
	 "統括責任者は、10(1)から(3)に基づく要請を受け"
	 "た事象が、支援対象事象であると認めた場合には、CYM"
	 "ATに対し、出動を命ずる。"},
	{"CymatRules", "2016", "11", 2, 0,
	 "統括責任者は、支援要請を受ける前であっても、政府機関"
	 "において支援対象事象が発生していると認めた場合には、"
	 "CYMATの出動について、当該政府機関の組織内CSI"
	 "RTの合意を得た上で、CYMATに対し、出動を命ずる"
	 "ことができる。"},
	{"CymatRules", "2016", "11", 3, 0,
	 "統括責任者は、支援要請を受ける前であっても、オブザー"
	 "バー参加機関において支援対象事象が発生していると認め"
	 "た場合には、CYMATの出動の必要性について、当該オ"
	 "ブザーバー参加機関に対し打診をすることができる。統括"
	 "責任者は、当該オブザーバー機関の要請を受けた上で、C"
	 "YMATに対し、出動を命ずることができる。"},
	{"CymatRules", "2016", "11", 4, 0,
	 "統括責任者は、支援要請を受ける前であっても、独立行政"
	 "法人等において支援対象事象が発生していると認めた場合"
	 "には、CYMATの出動について、所管府省庁において当"
	 "該事象に対応する部署から合意を得た上で、CYMATに"
	 "対し、出動を命ずることができる。その際、所管府省庁は"
	 "、当該独立行政法人等の合意を得ることとする。"},
	{"CymatRules", "2016", "13", 1, 0,
	 "CYMATが出動した場合、事象発生機関等は、随時、C"
	 "YMATに被害状況を報告する。"},
	{"CymatRules", "2016", "13", 2, 0,
	 "13(1)に基づく被害状況の報告（以下「被害状況報告"
	 "」という。）を、政府機関情報セキュリティ横断監視・即"
	 "応調整チーム（GSOC）及びサイバー攻撃に係る情報収"
	 "集・集約担当に対する報告・連絡（以下「GSOCへの報"
	 "告等」という。）としてNISCが取り扱うことに支援対"
	 "象機関等が同意する場合、当該支援対象機関等は、被害状"
	 "況報告に記載した内容について、GSOCへの報告等を行"
	 "うことを省略することができる。"},
	{"CymatRules", "2016", "13", 3, 0,
	 "大規模サイバー攻撃等を始めとする緊急事態（その可能性"
	 "のある事態を含む。）においては、事象発生機関等は、「"
	 "緊急事態に対する政府の初動対処体制について」（平成1"
	 "5年11月21日閣議決定）等に基づく報告等も行う。"},
	{"CymatRules", "2016", "14", 0, 0,
	 "支援活動の終了については、事象発生機関等における最高"
	 "情報セキュリティ責任者等の意見を踏まえ、統括責任者が決定する。"},
	{"CymatRules", "2016", "15", 0, 0,
	 "CYMATがその活動により得た支援対象機関等の情報シ"
	 "ステム障害等に関する情報は、支援対象機関等が行う機密"
	 "性格付けに従い、「政府機関の情報セキュリティ対策のた"
	 "めの統一基準」で定める機密性２情報及び機密性３情報に"
	 "相当するものについては、当該支援対象機関等における事"
	 "象の正確な把握、被害拡大防止、復旧、原因調査及び再発"
	 "防止のための技術的な支援及び助言に限って活用する。た"
	 "だし、情報を提供した支援対象機関等と事前に協議し、同"
	 "意を得た場合には、次の目的に活用することができる。"},
	{"CymatRules", "2016", "15", 0, 1,
	 "情報を提供した支援対象機関等以外の支援対象機関等にお"
	 "ける事象の正確な把握、被害拡大防止、復旧、原因調査及"
	 "び再発防止のための技術的な支援及び助言"},
	{"CymatRules", "2016", "15", 0, 2,
	 "12(2)アからエに定める活動"},
	{"CymatRules", "2016", "15", 0, 3,
	 "その他統括責任者が必要と認めた目的"},
	{"CymatRules", "2016", "16", 0, 0,
	 "CYMATの活動状況については、定期的に、統括責任者"
	 "からサイバーセキュリティ対策推進会議に報告し、その要"
	 "旨を公表する。"},
	{"CymatRules", "2016", "附則", 0, 0,
	 "本申合せに基づく運用は、平成28年10月 日から実施する。"},
	{"CymatRules", "2014", "2", 0, 0,
	 "CYMATの活動において支援の対象とする機関等（以下"
	 "「支援対象機関等」という。）は、次に掲げるものとする。"},
	{"CymatRules", "2014", "2", 0, 1,
	 "法律の規定に基づき内閣に置かれる機関若しくは内閣の所"
	 "轄の下に置かれる機関、宮内庁、内閣府設置法（平成11"
	 "年法律第89号）第49条第1項若しくは第2項に規定す"
	 "る機関、国家行政組織法（昭和23年法律第120号）第"
	 "3条第2項に規定する機関若しくはこれらに置かれる機関"
	 "（以下「政府機関」という。）"},
	{"CymatRules", "2014", "2", 0, 3,
	 "独立行政法人"},
	{"CymatRules", "2014", "2", 0, 4,
	 "支援対象機関等へクラウドサービスを提供している事業者"
	 "、非意図的に支援対象機関等へサイバー攻撃を行っている"
	 "電子計算機を管理している事業者など、１０．（１）又は"
	 "（２）に基づき要請された事象に直接関係するものであっ"
	 "て、CYMATによる支援を行う必要があるものと当該要"
	 "請を行った機関等が認めたもの（以下「直接関係者」という。）"},
	{"CymatRules", "2014", "10", 2, 0,
	 "政府機関は、所管する独立行政法人において支援対象事象"
	 "となりうる事象が発生した場合は、当該独立行政法人の要"
	 "請を踏まえ、CYMATに事象対策の支援を要請することができる。"},
	{"CymatRules", "2014", "11", 2, 0,
	 "統括責任者は、支援要請を受ける前であっても、政府機関"
	 "において支援対象事象が発生していると認めた場合には、"
	 "CYMATの出動について、当該政府機関の組織内CSI"
	 "RT（組織内CSIRTが設置されていない場合は、該当"
	 "システムに関連する部署とする。）の合意を得た上で、C"
	 "YMATに対し、出動を命ずることができる。"},
	{"CymatRules", "2014", "附則", 0, 0,
	 "本申合せに基づく運用は、平成28年8月9日から実施する。"},
	/* marked （略） in the comparison table: unchanged by the amendment, quoted from the amended full text */
	{"CymatRules", "2014", "2", 0, 2,
	 "サイバーセキュリティ対策推進会議オブザーバー参加機関"
	 "（以下「オブザーバー参加機関」という。）"},
	/* marked （略） in the comparison table: unchanged by the amendment, quoted from the amended full text */
	{"CymatRules", "2014", "3", 0, 0,
	 "CYMATの活動において支援の対象とする事象は、サイ"
	 "バー攻撃等により支援対象機関等の情報システム障害が発"
	 "生した場合又はその発生のおそれがある場合であって、政"
	 "府として一体となった対応が必要となる情報セキュリティ"
	 "に係る事象（以下「支援対象事象」という。）とする。"},
	/* marked （略） in the comparison table: unchanged by the amendment, quoted from the amended full text */
	{"CymatRules", "2014", "4", 1, 0,
	 "政府CISOであるNISCセンター長（以下「統括責任"
	 "者」という。）は、CYMATの運用に関する事務を統括する。"},
	/* marked （略） in the comparison table: unchanged by the amendment, quoted from the amended full text */
	{"CymatRules", "2014", "4", 2, 0,
	 "NISC副センター長（以下「統括副責任者」という。）"
	 "は、必要に応じ、統括責任者を補佐する。また、統括責任"
	 "者と連絡がとれず、かつ、急を要する場合は、統括副責任"
	 "者が統括責任者の職務を行う。"},
	/* marked （略） in the comparison table: unchanged by the amendment, quoted from the amended full text */
	{"CymatRules", "2014", "7", 1, 0,
	 "政府機関及びオブザーバー参加機関は、事象対策（事象の"
	 "正確な把握、被害拡大防止、復旧、原因調査及び再発防止"
	 "をいう。以下同じ。）に関する能力の向上又は要員候補者"
	 "の育成等のため、CYMATの活動として実施される研修"
	 "又は訓練に参加させる者（政府機関又はオブザーバー参加"
	 "機関において、常時勤務に服することを要する者に限る。"
	 "）を、研修員としてNISCに登録することができる。な"
	 "お、政府機関が研修員を登録することができる期間は、当"
	 "分の間とする。"},
	/* marked （略） in the comparison table: unchanged by the amendment, quoted from the amended full text */
	{"CymatRules", "2014", "7", 2, 0,
	 "政府機関及びオブザーバー参加機関は、CYMATに対し"
	 "、当該機関が登録した研修員の研修又は訓練への参加を申"
	 "し出ることができる。この場合、研修及び訓練に必要な経"
	 "費の負担は、研修員を登録した当該機関に求める。"},
	/* marked （略） in the comparison table: unchanged by the amendment, quoted from the amended full text */
	{"CymatRules", "2014", "8", 1, 0,
	 "各政府機関からNISCへ要員候補者として推薦する者の"
	 "数は６名を上限とし、原則として１名以上とする。"},
	/* marked （略） in the comparison table: unchanged by the amendment, quoted from the amended full text */
	{"CymatRules", "2014", "8", 2, 0,
	 "当分の間、要員候補者を推薦することが困難な政府機関は"
	 "、少なくとも１名を研修員として登録する。なお、研修員"
	 "として登録する者の数と要員候補者として推薦する者の数"
	 "の合計は、各政府機関で６名以下とする。ただし、そのう"
	 "ち研修員として登録する者の数は４名以下とする。"},
	/* marked （略） in the comparison table: unchanged by the amendment, quoted from the amended full text */
	{"CymatRules", "2014", "8", 3, 0,
	 "各オブザーバー参加機関が研修員として登録する者の数は"
	 "、４名以下とする。"},
	/* marked （略） in the comparison table: unchanged by the amendment, quoted from the amended full text */
	{"CymatRules", "2014", "10", 1, 0,
	 "支援対象事象となりうる事象が発生した政府機関及びオブ"
	 "ザーバー参加機関は、CYMATに事象対策の支援を要請"
	 "することができる。"},
	/* marked （略） in the comparison table: unchanged by the amendment, quoted from the amended full text */
	{"CymatRules", "2014", "10", 3, 0,
	 "10(1)又は(2)に基づく要請を行った政府機関及び"
	 "オブザーバー参加機関は、直接関係者において支援対象事"
	 "象となりうる事象が発生した場合は、当該直接関係者の要"
	 "請を踏まえ、CYMATに事象対策の支援を要請することができる。"},
	/* marked （略） in the comparison table: unchanged by the amendment, quoted from the amended full text */
	{"CymatRules", "2014", "10", 4, 0,
	 "10(1)から(3)に基づく政府機関及びオブザーバー"
	 "参加機関の要請は、当該機関の最高情報セキュリティ責任"
	 "者から統括責任者に対して行うことを原則とする。なお、"
	 "緊急時には、当該機関の組織内CSIRT（組織内CSI"
	 "RTが設置されていない場合は、該当システムに関連する"
	 "部署とする。）又は要員から管理責任者又は現場責任者に"
	 "対して要請することも可能とする。"},
	/* marked （略） in the comparison table: unchanged by the amendment, quoted from the amended full text */
	{"CymatRules", "2014", "11", 1, 0,
	 "統括責任者は、10(1)から(3)に基づく要請を受け"
	 "た事象が、支援対象事象であると認めた場合には、CYM"
	 "ATに対し、出動を命ずる。"},
	/* marked （略） in the comparison table: unchanged by the amendment, quoted from the amended full text */
	{"CymatRules", "2014", "13", 1, 0,
	 "CYMATが出動した場合、事象発生機関等は、随時、C"
	 "YMATに被害状況を報告する。"},
	/* marked （略） in the comparison table: unchanged by the amendment, quoted from the amended full text */
	{"CymatRules", "2014", "13", 2, 0,
	 "13(1)に基づく被害状況の報告（以下「被害状況報告"
	 "」という。）を、政府機関情報セキュリティ横断監視・即"
	 "応調整チーム（GSOC）及びサイバー攻撃に係る情報収"
	 "集・集約担当に対する報告・連絡（以下「GSOCへの報"
	 "告等」という。）としてNISCが取り扱うことに支援対"
	 "象機関等が同意する場合、当該支援対象機関等は、被害状"
	 "況報告に記載した内容について、GSOCへの報告等を行"
	 "うことを省略することができる。"},
	/* marked （略） in the comparison table: unchanged by the amendment, quoted from the amended full text */
	{"CymatRules", "2014", "13", 3, 0,
	 "大規模サイバー攻撃等を始めとする緊急事態（その可能性"
	 "のある事態を含む。）においては、事象発生機関等は、「"
	 "緊急事態に対する政府の初動対処体制について」（平成1"
	 "5年11月21日閣議決定）等に基づく報告等も行う。"},
	/* marked （略） in the comparison table: unchanged by the amendment, quoted from the amended full text */
	{"CymatRules", "2014", "14", 0, 0,
	 "支援活動の終了については、事象発生機関等における最高"
	 "情報セキュリティ責任者等の意見を踏まえ、統括責任者が決定する。"},
	/* marked （略） in the comparison table: unchanged by the amendment, quoted from the amended full text */
	{"CymatRules", "2014", "15", 0, 0,
	 "CYMATがその活動により得た支援対象機関等の情報シ"
	 "ステム障害等に関する情報は、支援対象機関等が行う機密"
	 "性格付けに従い、「政府機関の情報セキュリティ対策のた"
	 "めの統一基準」で定める機密性２情報及び機密性３情報に"
	 "相当するものについては、当該支援対象機関等における事"
	 "象の正確な把握、被害拡大防止、復旧、原因調査及び再発"
	 "防止のための技術的な支援及び助言に限って活用する。た"
	 "だし、情報を提供した支援対象機関等と事前に協議し、同"
	 "意を得た場合には、次の目的に活用することができる。"},
	/* marked （略） in the comparison table: unchanged by the amendment, quoted from the amended full text */
	{"CymatRules", "2014", "15", 0, 1,
	 "情報を提供した支援対象機関等以外の支援対象機関等にお"
	 "ける事象の正確な把握、被害拡大防止、復旧、原因調査及"
	 "び再発防止のための技術的な支援及び助言"},
	/* marked （略） in the comparison table: unchanged by the amendment, quoted from the amended full text */
	{"CymatRules", "2014", "15", 0, 2,
	 "12(2)アからエに定める活動"},
	/* marked （略） in the comparison table: unchanged by the amendment, quoted from the amended full text */
	{"CymatRules", "2014", "15", 0, 3,
	 "その他統括責任者が必要と認めた目的"},
	/* marked （略） in the comparison table: unchanged by the amendment, quoted from the amended full text */
	{"CymatRules", "2014", "16", 0, 0,
	 "CYMATの活動状況については、定期的に、統括責任者"
	 "からサイバーセキュリティ対策推進会議に報告し、その要"
	 "旨を公表する。"},
	{"CymatRules", "2016", "5", 1, 0,
	 "CYMATは、管理責任者、現場責任者、要員をもって構成する。"},
	/* marked （略） in the comparison table: unchanged by the amendment, quoted from the amended full text */
	{"CymatRules", "2014", "5", 1, 0,
	 "CYMATは、管理責任者、現場責任者、要員をもって構成する。"},
	{"CymatRules", "2016", "5", 2, 0,
	 "管理責任者は、命を受けて、CYMATの運用に関する事"
	 "務を掌理する。"},
	/* marked （略） in the comparison table: unchanged by the amendment, quoted from the amended full text */
	{"CymatRules", "2014", "5", 2, 0,
	 "管理責任者は、命を受けて、CYMATの運用に関する事"
	 "務を掌理する。"},
	{"CymatRules", "2016", "5", 3, 0,
	 "現場責任者は、命を受けて、CYMATの運用に関する事"
	 "務を整理する。"},
	/* marked （略） in the comparison table: unchanged by the amendment, quoted from the amended full text */
	{"CymatRules", "2014", "5", 3, 0,
	 "現場責任者は、命を受けて、CYMATの運用に関する事"
	 "務を整理する。"},
	{"CymatRules", "2016", "5", 4, 0,
	 "要員は、命を受けて、CYMATの活動にあたる。"},
	/* marked （略） in the comparison table: unchanged by the amendment, quoted from the amended full text */
	{"CymatRules", "2014", "5", 4, 0,
	 "要員は、命を受けて、CYMATの活動にあたる。"},
	{"CymatRules", "2016", "5", 5, 0,
	 "管理責任者、現場責任者及び要員には、常時勤務に服する"
	 "ことを要する国家公務員を充てる。"},
	/* marked （略） in the comparison table: unchanged by the amendment, quoted from the amended full text */
	{"CymatRules", "2014", "5", 5, 0,
	 "管理責任者、現場責任者及び要員には、常時勤務に服する"
	 "ことを要する国家公務員を充てる。"},
	{"CymatRules", "2016", "6", 1, 0,
	 "管理責任者は、NISCに常駐する参事官のうちから、統"
	 "括責任者が指名する。"},
	/* marked （略） in the comparison table: unchanged by the amendment, quoted from the amended full text */
	{"CymatRules", "2014", "6", 1, 0,
	 "管理責任者は、NISCに常駐する参事官のうちから、統"
	 "括責任者が指名する。"},
	{"CymatRules", "2016", "6", 2, 0,
	 "現場責任者は、NISCに常駐する者のうちから、２名程"
	 "度を統括責任者が指名する。"},
	/* marked （略） in the comparison table: unchanged by the amendment, quoted from the amended full text */
	{"CymatRules", "2014", "6", 2, 0,
	 "現場責任者は、NISCに常駐する者のうちから、２名程"
	 "度を統括責任者が指名する。"},
	{"CymatRules", "2016", "6", 3, 0,
	 "要員は、政府機関から要員候補者として推薦のあった者及"
	 "びNISCに常駐する者のうちから、統括責任者が指名す"
	 "る。政府機関から推薦を受けて統括責任者が指名する要員"
	 "は、内閣事務官（内閣官房内閣サイバーセキュリティセン"
	 "ター）に併任又は兼官とした上で、NISCの非常駐職員"
	 "とし、本務に大きな支障が生じない範囲でCYMATの活"
	 "動にあたる。なお、管理責任者は、緊急の場合、NISC"
	 "に常駐する者をCYMATの活動に参画させることができる。"},
	/* marked （略） in the comparison table: unchanged by the amendment, quoted from the amended full text */
	{"CymatRules", "2014", "6", 3, 0,
	 "要員は、政府機関から要員候補者として推薦のあった者及"
	 "びNISCに常駐する者のうちから、統括責任者が指名す"
	 "る。政府機関から推薦を受けて統括責任者が指名する要員"
	 "は、内閣事務官（内閣官房内閣サイバーセキュリティセン"
	 "ター）に併任又は兼官とした上で、NISCの非常駐職員"
	 "とし、本務に大きな支障が生じない範囲でCYMATの活"
	 "動にあたる。なお、管理責任者は、緊急の場合、NISC"
	 "に常駐する者をCYMATの活動に参画させることができる。"},
	{"CymatRules", "2016", "9", 1, 0,
	 "政府機関は、要員の変更を求める場合においては、可能な"
	 "限り速やかに、NISCへ新たな要員候補者を推薦する。"},
	/* marked （略） in the comparison table: unchanged by the amendment, quoted from the amended full text */
	{"CymatRules", "2014", "9", 1, 0,
	 "政府機関は、要員の変更を求める場合においては、可能な"
	 "限り速やかに、NISCへ新たな要員候補者を推薦する。"},
	{"CymatRules", "2016", "9", 2, 0,
	 "政府機関及びオブザーバー参加機関は、研修員を変更する"
	 "場合においては、可能な限り速やかに、NISCへ新たな"
	 "研修員を登録する。"},
	/* marked （略） in the comparison table: unchanged by the amendment, quoted from the amended full text */
	{"CymatRules", "2014", "9", 2, 0,
	 "政府機関及びオブザーバー参加機関は、研修員を変更する"
	 "場合においては、可能な限り速やかに、NISCへ新たな"
	 "研修員を登録する。"},
	{"CymatRules", "2016", "12", 1, 0,
	 "出動を命じられた場合、CYMATは、出動を命じられて"
	 "支援を行っている支援対象機関等（以下、「事象発生機関"
	 "等」という。）と情報を共有し、次の活動（以下「支援活"
	 "動」という。）を行う。"},
	/* marked （略） in the comparison table: unchanged by the amendment, quoted from the amended full text */
	{"CymatRules", "2014", "12", 1, 0,
	 "出動を命じられた場合、CYMATは、出動を命じられて"
	 "支援を行っている支援対象機関等（以下、「事象発生機関"
	 "等」という。）と情報を共有し、次の活動（以下「支援活"
	 "動」という。）を行う。"},
	{"CymatRules", "2016", "12", 1, 1,
	 "事象の正確な把握（発生事象に関連する情報の収集、分析"
	 "及び被害拡大の予測等）"},
	/* marked （略） in the comparison table: unchanged by the amendment, quoted from the amended full text */
	{"CymatRules", "2014", "12", 1, 1,
	 "事象の正確な把握（発生事象に関連する情報の収集、分析"
	 "及び被害拡大の予測等）"},
	{"CymatRules", "2016", "12", 1, 2,
	 "被害拡大防止、復旧、原因調査及び再発防止のための技術"
	 "的な支援及び助言（事象発生機関等以外の支援対象機関等"
	 "の類似事象に関する、被害拡大防止、復旧、原因調査又は"
	 "発生防止のため、事象発生機関等以外の支援対象機関等に"
	 "対する支援及び助言を行うことを含む）"},
	/* marked （略） in the comparison table: unchanged by the amendment, quoted from the amended full text */
	{"CymatRules", "2014", "12", 1, 2,
	 "被害拡大防止、復旧、原因調査及び再発防止のための技術"
	 "的な支援及び助言（事象発生機関等以外の支援対象機関等"
	 "の類似事象に関する、被害拡大防止、復旧、原因調査又は"
	 "発生防止のため、事象発生機関等以外の支援対象機関等に"
	 "対する支援及び助言を行うことを含む）"},
	{"CymatRules", "2016", "12", 1, 3,
	 "その他統括責任者の特命に関すること"},
	/* marked （略） in the comparison table: unchanged by the amendment, quoted from the amended full text */
	{"CymatRules", "2014", "12", 1, 3,
	 "その他統括責任者の特命に関すること"},
	{"CymatRules", "2016", "12", 2, 0,
	 "CYMATは、事象発生時に効果的な活動を行うため、平"
	 "常時において、次の活動を行う。"},
	/* marked （略） in the comparison table: unchanged by the amendment, quoted from the amended full text */
	{"CymatRules", "2014", "12", 2, 0,
	 "CYMATは、事象発生時に効果的な活動を行うため、平"
	 "常時において、次の活動を行う。"},
	{"CymatRules", "2016", "12", 2, 1,
	 "連絡体制の構築"},
	/* marked （略） in the comparison table: unchanged by the amendment, quoted from the amended full text */
	{"CymatRules", "2014", "12", 2, 1,
	 "連絡体制の構築"},
	{"CymatRules", "2016", "12", 2, 2,
	 "予兆の認知及び事象発生時における効果的な支援活動の実"
	 "施に向けて必要な情報セキュリティに関する情報の調査、"
	 "収集及び分析"},
	/* marked （略） in the comparison table: unchanged by the amendment, quoted from the amended full text */
	{"CymatRules", "2014", "12", 2, 2,
	 "予兆の認知及び事象発生時における効果的な支援活動の実"
	 "施に向けて必要な情報セキュリティに関する情報の調査、"
	 "収集及び分析"},
	{"CymatRules", "2016", "12", 2, 3,
	 "活動に必要な技能を習得するための研修及び訓練"},
	/* marked （略） in the comparison table: unchanged by the amendment, quoted from the amended full text */
	{"CymatRules", "2014", "12", 2, 3,
	 "活動に必要な技能を習得するための研修及び訓練"},
	{"CymatRules", "2016", "12", 2, 4,
	 "習得した技能を政府機関及びオブザーバー参加機関と共有"
	 "し、これらの機関における職員の事象対策能力の向上を図"
	 "るための取組"},
	/* marked （略） in the comparison table: unchanged by the amendment, quoted from the amended full text */
	{"CymatRules", "2014", "12", 2, 4,
	 "習得した技能を政府機関及びオブザーバー参加機関と共有"
	 "し、これらの機関における職員の事象対策能力の向上を図"
	 "るための取組"},
	{"CymatRules", "2016", "12", 2, 5,
	 "その他統括責任者の特命に関すること"},
	/* marked （略） in the comparison table: unchanged by the amendment, quoted from the amended full text */
	{"CymatRules", "2014", "12", 2, 5,
	 "その他統括責任者の特命に関すること"},
	{"CymatRules", "2016", "12", 3, 0,
	 "管理責任者は、要員の本務に大きな支障が生じない範囲で"
	 "CYMATの活動に従事させるよう配慮する。"},
	/* marked （略） in the comparison table: unchanged by the amendment, quoted from the amended full text */
	{"CymatRules", "2014", "12", 3, 0,
	 "管理責任者は、要員の本務に大きな支障が生じない範囲で"
	 "CYMATの活動に従事させるよう配慮する。"},
	{"CymatRules", "2016", "12", 4, 0,
	 "管理責任者は、要員がおおよそ40名程度になることを想"
	 "定し、12(1)及び(2)の活動のための準備を行うよ"
	 "う配慮する。"},
	/* marked （略） in the comparison table: unchanged by the amendment, quoted from the amended full text */
	{"CymatRules", "2014", "12", 4, 0,
	 "管理責任者は、要員がおおよそ40名程度になることを想"
	 "定し、12(1)及び(2)の活動のための準備を行うよ"
	 "う配慮する。"},
	{"CymatRules", "2016", "17", 1, 0,
	 "支援対象機関等は、その任務に大きな支障のない範囲で、"
	 "可能な限りCYMATの活動に協力する。"},
	/* marked （略） in the comparison table: unchanged by the amendment, quoted from the amended full text */
	{"CymatRules", "2014", "17", 1, 0,
	 "支援対象機関等は、その任務に大きな支障のない範囲で、"
	 "可能な限りCYMATの活動に協力する。"},
	{"CymatRules", "2016", "17", 2, 0,
	 "CYMATの支援を受けている支援対象機関等における要"
	 "員及び研修員は、その任務に大きな支障のない範囲で、可"
	 "能な限りCYMATへ情報を提供するよう努める。"},
	/* marked （略） in the comparison table: unchanged by the amendment, quoted from the amended full text */
	{"CymatRules", "2014", "17", 2, 0,
	 "CYMATの支援を受けている支援対象機関等における要"
	 "員及び研修員は、その任務に大きな支障のない範囲で、可"
	 "能な限りCYMATへ情報を提供するよう努める。"},
	{"CymatRules", "2016", "17", 3, 0,
	 "支援対象機関等は、CYMATが行う技術的な支援及び助"
	 "言に基づく措置を行う場合には、各支援対象機関等が必要"
	 "と判断した範囲で実施する。"},
	/* marked （略） in the comparison table: unchanged by the amendment, quoted from the amended full text */
	{"CymatRules", "2014", "17", 3, 0,
	 "支援対象機関等は、CYMATが行う技術的な支援及び助"
	 "言に基づく措置を行う場合には、各支援対象機関等が必要"
	 "と判断した範囲で実施する。"},
	{"CymatRules", "2016", "18", 0, 0,
	 "CYMATの設置及び運営等に関する規程は、統括責任者が定める。"},
	/* marked （略） in the comparison table: unchanged by the amendment, quoted from the amended full text */
	{"CymatRules", "2014", "18", 0, 0,
	 "CYMATの設置及び運営等に関する規程は、統括責任者が定める。"},
	/* marked （略） in the comparison table: unchanged by the amendment, quoted from the amended full text */
	{"CymatRules", "2014", "1", 0, 0,
	 "サイバー攻撃等により政府機関等の情報システム障害が発"
	 "生した場合又はその発生のおそれがある場合であって、政"
	 "府として一体となった対応が必要となる情報セキュリティ"
	 "に係る事象に対して機動的な支援を行うため、内閣官房内"
	 "閣サイバーセキュリティセンター（以下「NISC」とい"
	 "う。）に設置される情報セキュリティ緊急支援チーム（C"
	 "yber Incident Mobile Assis"
	 "tance Team、以下「CYMAT」という。）の"
	 "運営等について、以下の事項を申し合わせる。"},
