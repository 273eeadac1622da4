"""Simplified -> Traditional character map for the benchmark corpus (about 2% of records).

A plain character map (no phrase conversion) keeps the generator dependency-free and byte-identical
on every machine. It covers every Simplified character that bench/corpus_data.py and
bench/generate.py can emit; regenerate it after adding vocabulary with

    pip install opencc-python-reimplemented && python bench/hant_map.py > bench/hant_map.py.new
"""

PAIRS = (
    "万萬与與专專业業东東两兩严嚴个個丰豐临臨为爲举舉义義习習乡鄉书書争爭于於云雲产產亩畝亿億从從仪儀价價"
    "众衆优優会會传傳伤傷体體余餘债債偿償储儲儿兒党黨兰蘭关關兴興养養内內册冊军軍农農冯馮冲衝决決况況准準"
    "减減凤鳳凯凱划劃刘劉则則创創别別办辦务務动動励勵劳勞势勢区區医醫华華协協单單占佔卫衛厂廠厅廳历歷厉厲"
    "压壓厕廁厨廚县縣参參双雙发發变變台臺叶葉号號后後吕呂听聽启啓吴吳员員咨諮响響团團园園围圍国國图圖场場"
    "坚堅坝壩处處备備复復够夠头頭奖獎妆妝妇婦孙孫学學宁寧实實审審宾賓对對导導将將尘塵尽盡层層岗崗岭嶺巩鞏"
    "币幣师師带帶帮幫干幹并並广廣庄莊床牀库庫应應废廢开開异異张張强強录錄彻徹征徵径徑态態总總恒恆戏戲战戰"
    "户戶托託执執扩擴扬揚护護报報担擔拟擬拨撥挂掛挤擠挥揮换換据據摆擺数數断斷旧舊时時显顯晓曉暂暫术術机機"
    "权權条條来來杨楊极極构構枫楓标標栏欄样樣档檔桥橋检檢楼樓残殘毕畢气氣汇匯沟溝没沒泾涇测測济濟浓濃涝澇"
    "润潤涨漲游遊湾灣滞滯满滿滨濱灯燈灶竈灾災点點烧燒热熱爱愛牵牽状狀猪豬献獻环環现現电電畅暢疗療监監盖蓋"
    "矿礦码碼确確碍礙秆稈种種积積称稱税稅稳穩竞競筑築筹籌签籤类類粮糧红紅约約级級纲綱纳納纸紙纺紡线線练練"
    "组組细細织織终終绍紹经經结結绕繞络絡统統绣繡绩績续續维維绵綿综綜绿綠编編缘緣缩縮缴繳网網罗羅罚罰群羣"
    "职職联聯脱脫腾騰节節苏蘇范範荣榮药藥获獲营營蒋蔣蓝藍虚虛衔銜补補装裝见見观觀规規视視计計订訂认認讨討"
    "让讓训訓议議记記讲講许許设設访訪证證评評识識诉訴诊診试試话話询詢详詳语語说說请請读讀课課谁誰调調谢謝"
    "负負贡貢财財责責账賬货貨质質贫貧购購贯貫贴貼贷貸贸貿费費赁賃资資赈賑赵趙车車轩軒转轉轮輪较較辆輛输輸"
    "边邊达達迁遷过過运運还還进進远遠违違连連适適选選递遞遗遺邓鄧邮郵郑鄭采採里裏鉴鑑钟鍾铭銘银銀铺鋪链鏈"
    "销銷锁鎖锦錦镇鎮长長门門闭閉问問间間阅閱阳陽阶階际際陈陳险險隐隱难難韩韓项項顺順顾顧预預领領题題额額"
    "风風飞飛饮飲馆館馈饋马馬驻駐验驗骤驟鹤鶴黄黃龄齡龙龍"
)

_TABLE = {ord(PAIRS[i]): PAIRS[i + 1] for i in range(0, len(PAIRS), 2)}


def to_traditional(text: str) -> str:
    return text.translate(_TABLE)


if __name__ == "__main__":  # regenerate this file (needs opencc-python-reimplemented)
    import re
    from pathlib import Path

    from opencc import OpenCC

    here = Path(__file__).resolve().parent
    cc = OpenCC("s2t")
    src = (here / "corpus_data.py").read_text(encoding="utf-8") + (here / "generate.py").read_text(encoding="utf-8")
    chars = sorted(set(re.findall(r"[\u4e00-\u9fff]", src)))
    pairs = "".join(ch + cc.convert(ch) for ch in chars if cc.convert(ch) != ch and len(cc.convert(ch)) == 1)
    text = (here / "hant_map.py").read_text(encoding="utf-8")
    head, _, rest = text.partition("PAIRS = (\n")
    _, _, tail = rest.partition("\n)\n")
    lines = "\n".join(f'    "{pairs[i:i + 50]}"' for i in range(0, len(pairs), 50))
    print(head + "PAIRS = (\n" + lines + "\n)\n" + tail, end="")
