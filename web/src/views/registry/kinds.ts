/** The writable record kinds: their form fields and import columns, keyed as the API's. */
import type { DictName } from '@/stores/dicts'
import { checkCreditCode, checkIdCard, checkMobile, checkPersonName } from '@/utils/validate'

export type WritableKind = 'person' | 'enterprise' | 'employment' | 'unemployment'

export const KIND_LABELS: Record<WritableKind, string> = {
  person: '人员',
  enterprise: '单位',
  employment: '就业登记',
  unemployment: '失业登记',
}

export interface FieldSpec {
  key: string
  label: string
  type: 'text' | 'select' | 'multi' | 'region' | 'date' | 'number' | 'switch'
  dict?: DictName
  required?: boolean
  check?: (text: string) => string | null
  placeholder?: string
  /**
   * A masked number (ID, phone). On edit the form shows the masked value and sends the field only
   * when a new one is typed in: left out, the server keeps the stored number.
   */
  sensitive?: boolean
}

export const FORM_FIELDS: Record<WritableKind, FieldSpec[]> = {
  person: [
    { key: 'name', label: '姓名', type: 'text', required: true, check: checkPersonName },
    { key: 'id_no', label: '身份证号', type: 'text', required: true, check: checkIdCard, sensitive: true },
    { key: 'phone', label: '手机号', type: 'text', check: checkMobile, sensitive: true },
    { key: 'education', label: '学历', type: 'select', dict: 'education' },
    { key: 'hukou', label: '户口性质', type: 'select', dict: 'hukou', required: true },
    { key: 'region', label: '居住地', type: 'region', required: true },
    { key: 'household_no', label: '户编号', type: 'text' },
    { key: 'graduation_year', label: '毕业年份', type: 'number' },
    { key: 'veteran', label: '退役军人', type: 'switch' },
    { key: 'attributes', label: '人员属性', type: 'multi', dict: 'person_attribute' },
  ],
  enterprise: [
    { key: 'credit_code', label: '统一社会信用代码', type: 'text', required: true, check: checkCreditCode },
    { key: 'name', label: '单位名称', type: 'text', required: true },
    { key: 'industry', label: '行业门类', type: 'select', dict: 'industry', required: true },
    { key: 'ownership', label: '经济类型', type: 'select', dict: 'ownership', required: true },
    { key: 'size_class', label: '企业规模', type: 'select', dict: 'size_class', required: true },
    { key: 'region', label: '所在地', type: 'region', required: true },
    { key: 'insured_count', label: '参保人数', type: 'number', required: true },
  ],
  employment: [
    { key: 'id_no', label: '身份证号', type: 'text', required: true, check: checkIdCard, sensitive: true },
    { key: 'kind', label: '就业形式', type: 'select', dict: 'employment_kind', required: true },
    { key: 'employer_credit_code', label: '用人单位信用代码', type: 'text', check: checkCreditCode },
    { key: 'start_date', label: '就业日期', type: 'date', required: true },
    { key: 'end_date', label: '终止日期', type: 'date' },
    { key: 'area', label: '城乡', type: 'select', dict: 'area_kind', required: true },
    { key: 'region', label: '就业地', type: 'region', required: true },
  ],
  unemployment: [
    { key: 'id_no', label: '身份证号', type: 'text', required: true, check: checkIdCard, sensitive: true },
    { key: 'registered_on', label: '登记日期', type: 'date', required: true },
    { key: 'region', label: '登记地', type: 'region', required: true },
    { key: 'reason', label: '失业原因', type: 'select', dict: 'unemployment_reason', required: true },
    { key: 'ended_on', label: '注销日期', type: 'date' },
    { key: 'end_reason', label: '注销原因', type: 'select', dict: 'unemployment_end' },
  ],
}

/** The import file's column headers, in file order (a key works too). */
export const IMPORT_HEADERS: Record<WritableKind, string[]> = {
  person: ['姓名', '身份证号', '手机号', '学历', '户口性质', '居住地区划代码', '户编号', '毕业年份', '退役军人', '人员属性'],
  enterprise: ['统一社会信用代码', '单位名称', '行业门类', '经济类型', '企业规模', '所在地区划代码', '参保人数'],
  employment: ['身份证号', '就业形式', '用人单位信用代码', '就业日期', '终止日期', '城乡', '就业地区划代码'],
  unemployment: ['身份证号', '登记日期', '登记地区划代码', '失业原因', '注销日期', '注销原因'],
}
