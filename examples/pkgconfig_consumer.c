/* A program outside the build tree, compiled through `pkg-config --cflags --libs cxm`. */
#include <stdio.h>

#include <cxm.h>

int main(void)
{
    cxm_nps *nps = NULL;
    if (cxm_nps_new(CXM_NPS_TRANSACTIONAL, 0, NULL, &nps) != CXM_OK) return 1;
    const uint8_t scores[] = {10, 9, 7, 3};
    cxm_status st = cxm_nps_add_many(nps, scores, sizeof scores, NULL);
    cxm_nps_result r = {.size = sizeof r};
    if (st == CXM_OK) st = cxm_nps_result_get(nps, 0.95, CXM_NPS_ADJUSTED_WALD, &r);
    cxm_nps_free(nps);
    printf("cxm %s: NPS %.1f (%s)\n", cxm_version_string(), r.nps, cxm_status_str(st));
    return st == CXM_OK && r.nps == 25.0 ? 0 : 1;
}
