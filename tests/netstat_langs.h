/* netstat_langs.h - Windows netstat titles and headers in every display
 * language the netstat format knows, and captures built from them (test
 * code only). The wordings are those of real captures, except the pt-PT
 * header, which is unverified (see corpus/formats/netstat-lang/README.md). */
#ifndef SIFT_TEST_NETSTAT_LANGS_H
#define SIFT_TEST_NETSTAT_LANGS_H

#include "sbuf.h"

typedef struct lang_case {
    const char *lang, *title, *header;
} lang_case;

static const lang_case lang_cases[] = {
    { "en", "Active Connections", "  Proto  Local Address          Foreign Address        State           PID" },
    { "de", "Aktive Verbindungen", "  Proto  Lokale Adresse         Remoteadresse          Status           PID" },
    { "ja", "アクティブな接続", "  プロトコル  ローカル アドレス      外部アドレス           状態            PID" },
    { "es", "Conexiones activas", "  Proto  Dirección local          Dirección remota        Estado           PID" },
    { "fr", "Connexions actives", "  Proto  Adresse locale         Adresse distante       État            PID" },
    { "it", "Connessioni attive", "  Proto  Indirizzo locale       Indirizzo esterno      Stato           PID" },
    { "pt-BR", "Conexões ativas", "  Proto  Endereço local         Endereço externo       Estado           PID" },
    { "pt-PT", "Ligações ativas", "  Proto  Endereço local         Endereço remoto        Estado           PID" },
    { "ru", "Активные подключения", "  Имя    Локальный адрес        Внешний адрес          Состояние       PID" },
    { "zh-CN", "活动连接", "  协议  本地地址          外部地址        状态           PID" },
    { "zh-TW", "使用中連線", "  協定   本機位址               外部位址               狀態            PID" },
    { "ko", "활성 연결", "  프로토콜  로컬 주소              외부 주소              상태            PID" },
};

#define N_LANG_CASES (sizeof lang_cases / sizeof lang_cases[0])

/* One capture as netstat -ano prints it: a blank line, the title, a blank
 * line, the header, two rows in other states and tw TIME_WAIT rows. */
static inline void lang_capture(sbuf *b, const lang_case *l, unsigned tw)
{
    sb_printf(b,
              "\n%s\n\n%s\n"
              "  TCP    0.0.0.0:135            0.0.0.0:0              LISTENING       1024\n"
              "  TCP    10.1.2.15:49731        10.1.2.5:389           ESTABLISHED     812\n",
              l->title, l->header);
    for (unsigned i = 0; i < tw; i++)
        sb_printf(b, "  TCP    10.1.2.15:%u        10.1.2.5:445           TIME_WAIT       0\n", 50100 + i);
}

#endif
