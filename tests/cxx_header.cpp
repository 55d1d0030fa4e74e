// The public header is usable from C++: extern "C" linkage, no C-only syntax.
#include <cxm.h>

#include <cstdio>

int main()
{
    cxm_nps *n = nullptr;
    if (cxm_nps_new(CXM_NPS_RELATIONAL, 0, nullptr, &n) != CXM_OK) return 1;
    cxm_status st = cxm_nps_add(n, 9);
    cxm_nps_result r = {};
    r.size = sizeof r;
    if (st == CXM_OK) st = cxm_nps_result_get(n, 0.95, CXM_NPS_ADJUSTED_WALD, &r);
    cxm_nps_free(n);
    std::printf("%s %.1f\n", cxm_status_str(st), r.nps);
    return st == CXM_OK && r.nps == 100.0 ? 0 : 1;
}
