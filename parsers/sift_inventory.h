/* sift_inventory.h - host inventories: what systeminfo, hotfix lists and
 * Get-ComputerInfo say about a host, read line by line from text dumps.
 *
 * Shapes read (en and ja systeminfo, the rest in their invariant English
 * property names):
 *  - systeminfo: Host Name, OS Name, OS Version, Original Install Date,
 *    System Boot Time, Time Zone, and the Hotfix(s) list (`[NN]: KBnnnnnnn`
 *    rows right below it); `ホスト名:`, `OS 名:`, `OS バージョン:`,
 *    `最初のインストール日付:`, `システム起動時間:`, `タイム ゾーン:`,
 *    `ホットフィックス:`. systeminfo cuts long hotfix lists ("302 Hotfix(s)
 *    Installed." over 245 rows): a list is complete only when its rows add
 *    up to the count it states.
 *  - `wmic qfe [list]` and `Get-HotFix` tables: a header holding HotFixID,
 *    then adjacent rows; the host from the CSName or Source column.
 *  - `Get-ComputerInfo` (CsName, OsName, OsVersion, OsBuildNumber,
 *    OsLastBootUpTime, OsLocalDateTime, OsUptime, OsCurrentTimeZone,
 *    OsInstallDate, OsHotFixes) and `Get-CimInstance Win32_OperatingSystem |
 *    Format-List *` or `wmic os get /format:list` (CSName, Caption, Version,
 *    BuildNumber, LastBootUpTime, LocalDateTime, CurrentTimeZone,
 *    InstallDate): `Name : value` or `Name=value` at column 0. Such a list
 *    counts only when it names the computer or a Windows product.
 * Found in text dumps by one anchor per script ("Install": systeminfo's
 * Original Install Date and hotfix count, the tables' Installed* columns,
 * the lists' InstallDate; インストール in Japanese), from which the engine
 * feeds every line of the inventory around it (sift_line_ops). An
 * inventory ends at the next one, after SIFT_INV_GAP_* lines without a
 * fact, or at the stream's end; a hotfix row counts only right below its
 * header or the row before (a KB named in an event message is no row).
 * Dates: systeminfo writes the user's locale (M/D/Y, D/M/Y, ja Y/M/D): the
 * day/month order is decided by whichever of the install and boot dates
 * reads only one way, else by sift_time_default_order; WMI's
 * yyyymmddHHMMSS.ffffff+TZ form is UTC with its offset. */
#ifndef SIFT_INVENTORY_H
#define SIFT_INVENTORY_H

#include "sift_format.h"
#include "sift_table.h"

/* Lines between two fact lines of one inventory before it counts as ended:
 * systeminfo puts at most a dozen other labels between the ones read;
 * Get-ComputerInfo about forty between CsName and OsName. */
#define SIFT_INV_GAP_SYSTEMINFO 64u
#define SIFT_INV_GAP_LIST 160u
/* A table row must follow its header or the row before within this many
 * lines (Get-HotFix puts a dashed line under its header). */
#define SIFT_INV_ROW_GAP 2u
/* Values kept per field; longer ones are cut. */
#define SIFT_INV_VALUE_MAX 255u

/* A WMI datetime, yyyymmddHHMMSS[.ffffff][+-MMM] (wmic, Get-WmiObject):
 * with its offset in minutes it is UTC (and *off_min, *has_off are set).
 * Returns SIFT_OK or SIFT_ERR_SYNTAX. */
sift_status sift_inventory_wmi_time(sift_slice s, sift_when *out, int32_t *off_min, uint8_t *has_off);

/* The offset of a systeminfo time zone, "(UTC+09:00) Osaka, Sapporo, Tokyo"
 * (also GMT, and "(UTC) ..." for zero): 1 with *min set. */
int sift_inventory_tz_offset(sift_slice tz, int32_t *min);

extern const sift_format sift_inventory_format;

#endif
