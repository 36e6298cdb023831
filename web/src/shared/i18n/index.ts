import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en.json';
import fr from './fr.json';

export const LANGUAGES = ['fr', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

const saved = localStorage.getItem('mnemos.lang');
const initial: Language = saved === 'en' || saved === 'fr' ? saved : 'fr';

void i18n.use(initReactI18next).init({
  resources: { fr: { translation: fr }, en: { translation: en } },
  lng: initial,
  fallbackLng: 'fr',
  interpolation: { escapeValue: false },
});
document.documentElement.lang = initial;

export function setLanguage(language: Language) {
  localStorage.setItem('mnemos.lang', language);
  document.documentElement.lang = language;
  void i18n.changeLanguage(language);
}

export default i18n;
